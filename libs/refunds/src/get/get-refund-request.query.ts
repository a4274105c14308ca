import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { assertAllowed, StreamRepository, type CommandContext } from '@csp/application';
import { orderStreamId, refundRequestStreamId } from '@csp/domain';
import type { Answer } from '@csp/http';
import { orderRefundsStream, refundRequestStream, refundRequestView, refundResource, type RefundRequestView } from '../refund-request-stream.state';
import type { RefundRequestResponse } from './get-refund-request.response';

export class GetRefundRequestQuery extends Query<Answer<RefundRequestView, RefundRequestResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly refundRequestId: string,
  ) {
    super();
  }
}

@QueryHandler(GetRefundRequestQuery)
export class GetRefundRequestHandler implements IQueryHandler<GetRefundRequestQuery> {
  constructor(private readonly repository: StreamRepository) {}

  async execute({ context, refundRequestId }: GetRefundRequestQuery) {
    const { state } = await this.repository.load(refundRequestStreamId(refundRequestId), refundRequestStream);
    assertAllowed('refundRequest.read', context.actor, refundResource(state), 'refund request');
    // The decision of a request naming an order is in the order's stream.
    const orderId = state.submitted?.orderId;
    return refundRequestView(state, orderId !== undefined ? (await this.repository.load(orderStreamId(orderId), orderRefundsStream)).state : undefined);
  }
}
