import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ByIdQuery, assertAllowed, ReadModelQueryHandler } from '@csp/application';
import type { Answer } from '@csp/http';
import { CustomersQueries } from '../customers.queries';
import type { CustomerResponse } from './get-customer.response';

/** A customer as the API shows it. */
interface CustomerSummary {
  readonly customerId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly domain: string;
  readonly market: string;
  readonly registeredAt: string;
}

export class GetCustomerQuery extends ByIdQuery<Answer<CustomerSummary, CustomerResponse>> {}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler extends ReadModelQueryHandler implements IQueryHandler<GetCustomerQuery> {
  private readonly customers = new CustomersQueries(this.store);

  /** The customer, if the caller may see it; else 404 (or 403 for the role). */
  async execute({ context, id: customerId }: GetCustomerQuery): Promise<CustomerSummary> {
    const customer = await this.customers.customer(customerId);
    assertAllowed('customer.read', context.actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    const { customerId: id, tenantId, name, domain, market, registeredAt } = customer!;
    return { customerId: id, tenantId, name, domain, market, registeredAt };
  }
}
