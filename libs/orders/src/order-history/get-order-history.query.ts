import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ByIdQuery, ReadModelQueryHandler } from '@csp/application';
import { CustomersQueries } from '@csp/customers';
import type { Answer } from '@csp/http';
import type { OrderHistoryView } from './order-history.projection';
import { assertCustomerInScope } from '../customer-scope';
import { OrderHistoryQueries } from './order-history.queries';
import type { OrderHistoryResponse } from './order-history.response';

export class GetOrderHistoryQuery extends ByIdQuery<Answer<{ customerId: string; orders: OrderHistoryView[] }, OrderHistoryResponse>> {}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler extends ReadModelQueryHandler implements IQueryHandler<GetOrderHistoryQuery> {
  private readonly customers = new CustomersQueries(this.store);
  private readonly history = new OrderHistoryQueries(this.store);

  async execute({ context, id: customerId }: GetOrderHistoryQuery) {
    await assertCustomerInScope(this.customers, context, customerId, 'order.read');
    return { customerId, orders: await this.history.orderHistory(customerId) };
  }
}
