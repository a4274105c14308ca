import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { nextCursorOf, PagedByIdQuery, ReadModelQueryHandler } from '@csp/application';
import { CustomersQueries } from '@csp/customers';
import type { Answer } from '@csp/http';
import { assertCustomerInScope } from '../customer-scope';
import { OrderHistoryQueries, type OrderHistoryPage } from './order-history.queries';
import type { OrderHistoryResponse } from './order-history.response';

export class GetOrderHistoryQuery extends PagedByIdQuery<Answer<{ customerId: string } & OrderHistoryPage, OrderHistoryResponse>> {}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler extends ReadModelQueryHandler implements IQueryHandler<GetOrderHistoryQuery> {
  private readonly customers = new CustomersQueries(this.store);
  private readonly history = new OrderHistoryQueries(this.store);

  async execute({ context, id: customerId, page }: GetOrderHistoryQuery) {
    await assertCustomerInScope(this.customers, context, customerId, 'order.read');
    const history = await this.history.orderHistory(customerId, page);
    return { customerId, ...history, ...nextCursorOf(history) };
  }
}
