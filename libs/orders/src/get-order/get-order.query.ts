import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ByIdQuery, assertAllowed, StreamRepository } from '@csp/application';
import { orderStreamId } from '@csp/domain';
import type { Answer } from '@csp/http';
import { orderResource, orderStream, orderView, type OrderView } from '../order-stream.state';
import type { OrderResponse } from './get-order.response';

export class GetOrderQuery extends ByIdQuery<Answer<OrderView, OrderResponse>> {}

/** Reads the order's own stream: always current, so the answer never lags a command just made. */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly repository: StreamRepository) {}

  async execute({ context, id: orderId }: GetOrderQuery) {
    const { state } = await this.repository.load(orderStreamId(orderId), orderStream);
    assertAllowed('order.read', context.actor, orderResource(state), 'order');
    return orderView(state);
  }
}
