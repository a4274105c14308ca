import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Clock } from '@csp/config';
import type { ReadModelQueries, ReadSide } from '@csp/projections';
import { assertAllowed, type CommandContext } from '../context';
import { CLOCK, READ_SIDE } from '../tokens';

type Answer<M extends keyof ReadModelQueries> = ReadModelQueries[M] extends (...args: never[]) => Promise<infer R> ? R : never;

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
export class GetSoftwareListQuery extends Query<Answer<'softwareList'>> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}
export class GetOrderHistoryQuery extends Query<{ customerId: string; orders: Answer<'orderHistory'> }> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}

abstract class CustomerScopedQuery {
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

@QueryHandler(GetSoftwareListQuery)
export class GetSoftwareListHandler extends CustomerScopedQuery implements IQueryHandler<GetSoftwareListQuery> {
  constructor(
    @Inject(READ_SIDE) readSide: ReadSide,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(readSide);
  }

  async execute({ context, customerId }: GetSoftwareListQuery) {
    await this.customerFor(context, customerId, 'software.read');
    return this.readSide.readModels.softwareList(customerId, this.clock.now());
  }
}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler extends CustomerScopedQuery implements IQueryHandler<GetOrderHistoryQuery> {
  async execute({ context, customerId }: GetOrderHistoryQuery) {
    await this.customerFor(context, customerId, 'order.read');
    return { customerId, orders: await this.readSide.readModels.orderHistory(customerId) };
  }
}
