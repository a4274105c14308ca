import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadSide } from '@csp/projections';
import { assertAllowed, type CommandContext } from '../context';
import { READ_SIDE } from '../tokens';

/** A customer as the API shows it. */
export interface CustomerSummary {
  readonly customerId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly domain: string;
  readonly market: string;
  readonly registeredAt: string;
}

export class GetCustomerQuery extends Query<CustomerSummary> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}

/** A query about one customer, answered only to callers who may see that customer with the query's action (404 otherwise, 403 for the role). */
export abstract class CustomerScopedQuery {
  constructor(@Inject(READ_SIDE) protected readonly readSide: ReadSide) {}

  /** The customer, if the caller may see it with this action; else 404 (or 403 for the role). */
  protected async customerFor(context: CommandContext, customerId: string, action: 'customer.read' | 'software.read' | 'order.read') {
    const customer = await this.readSide.readModels.customer(customerId);
    assertAllowed(action, context.actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    return customer!;
  }
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler extends CustomerScopedQuery implements IQueryHandler<GetCustomerQuery> {
  async execute({ context, customerId }: GetCustomerQuery): Promise<CustomerSummary> {
    const { customerId: id, tenantId, name, domain, market, registeredAt } = await this.customerFor(context, customerId, 'customer.read');
    return { customerId: id, tenantId, name, domain, market, registeredAt };
  }
}
