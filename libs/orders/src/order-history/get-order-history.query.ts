import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerScopedQuery, READ_SIDE, type CommandContext } from '@csp/application';
import type { ReadSide } from '@csp/projections';
import type { OrderHistoryView } from './order-history.projection';
import { OrderHistoryQueries } from './order-history.queries';

export class GetOrderHistoryQuery extends Query<{ customerId: string; orders: OrderHistoryView[] }> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler extends CustomerScopedQuery implements IQueryHandler<GetOrderHistoryQuery> {
  private readonly history: OrderHistoryQueries;

  constructor(@Inject(READ_SIDE) readSide: ReadSide) {
    super(readSide);
    this.history = new OrderHistoryQueries(readSide.store);
  }

  async execute({ context, customerId }: GetOrderHistoryQuery) {
    await this.customerFor(context, customerId, 'order.read');
    return { customerId, orders: await this.history.orderHistory(customerId) };
  }
}
