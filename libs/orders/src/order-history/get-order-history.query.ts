import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_SIDE, type CommandContext } from '@csp/application';
import { CustomersQueries } from '@csp/customers';
import type { Answer } from '@csp/http';
import type { ReadSide } from '@csp/projections';
import type { OrderHistoryView } from './order-history.projection';
import { assertCustomerInScope } from '../customer-scope';
import { OrderHistoryQueries } from './order-history.queries';
import type { OrderHistoryResponse } from './order-history.response';

export class GetOrderHistoryQuery extends Query<Answer<{ customerId: string; orders: OrderHistoryView[] }, OrderHistoryResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler implements IQueryHandler<GetOrderHistoryQuery> {
  private readonly customers: CustomersQueries;
  private readonly history: OrderHistoryQueries;

  constructor(@Inject(READ_SIDE) readSide: ReadSide) {
    this.customers = new CustomersQueries(readSide.store);
    this.history = new OrderHistoryQueries(readSide.store);
  }

  async execute({ context, customerId }: GetOrderHistoryQuery) {
    await assertCustomerInScope(this.customers, context, customerId, 'order.read');
    return { customerId, orders: await this.history.orderHistory(customerId) };
  }
}
