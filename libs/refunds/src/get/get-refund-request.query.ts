import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ByIdQuery, assertAllowed, StreamRepository } from '@csp/application';
import { orderStreamId, refundRequestStreamId } from '@csp/domain';
import type { Answer } from '@csp/http';
import { orderRefundsStream, refundRequestStream, refundRequestView, refundResource, type RefundRequestView } from '../refund-request-stream.state';
import type { RefundRequestResponse } from './get-refund-request.response';

export class GetRefundRequestQuery extends ByIdQuery<Answer<RefundRequestView, RefundRequestResponse>> {}

@QueryHandler(GetRefundRequestQuery)
export class GetRefundRequestHandler implements IQueryHandler<GetRefundRequestQuery> {
  constructor(private readonly repository: StreamRepository) {}

  async execute({ context, id: refundRequestId }: GetRefundRequestQuery) {
    const { state } = await this.repository.load(refundRequestStreamId(refundRequestId), refundRequestStream);
    assertAllowed('refundRequest.read', context.actor, refundResource(state), 'refund request');
    // The decision of a request naming an order is in the order's stream.
    const orderId = state.submitted?.orderId;
    return refundRequestView(state, orderId !== undefined ? (await this.repository.load(orderStreamId(orderId), orderRefundsStream)).state : undefined);
  }
}
