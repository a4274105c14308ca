import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, CLOCK, eventMetadata, StreamRepository, type CommandContext } from '@csp/application';
import type { Clock } from '@csp/config';
import { refundDecisionStreamId, refundRequestStreamId } from '@csp/domain';
import { type CreditIssued } from '@csp/orders';
import { formatPosition } from '@csp/event-store';
import type { Answer } from '@csp/http';
import type { ApproveRefundRequest, RejectRefundRequest } from '../refund-request.commands';
import {
  orderRefundsStream,
  orderWithRefundDecisions,
  refundRequestStream,
  refundRequestView,
  refundResource,
  type RefundRequestView,
} from '../refund-request-stream.state';
import { decideRefundDecision } from './decide-refund-request.decide';
import type { DecidedRefundRequestResponse } from './decide-refund-request.response';

/** A decision: the request as it stands now, with the credit an approval issued. */
type RefundDecision = RefundRequestView & {
  readonly credit?: { creditId: string; amount: number; currency: string; invoiceMonth: string };
  readonly position: string | undefined;
};

export class DecideRefundRequestCommand extends Command<Answer<RefundDecision, DecidedRefundRequestResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly refundRequestId: string,
    readonly decision: { approve: true; amount?: number; note?: string } | { approve: false; reason: string },
  ) {
    super();
  }
}

/**
 * Decides a refund request. The decision of a request that names an order — the approval and its
 * credit, or the rejection — is appended to the order's stream in one commit, under the order's
 * expected revision, decided on the order's state as just read: its credits (cancellations and
 * earlier approvals) cap the approval, and an approval, a rejection or a cancellation racing it
 * on another replica makes the append conflict, so the loser decides again on the new state (and
 * is refused if nothing is left, or if the request was decided meanwhile). One append, so no
 * crash can leave a credit without its approval or the reverse. The request's own stream holds
 * only its submission then, and is read for it; a request without an order is decided in its own
 * stream, capped by the amount requested.
 */
@CommandHandler(DecideRefundRequestCommand)
export class DecideRefundRequestHandler implements ICommandHandler<DecideRefundRequestCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, refundRequestId, decision }: DecideRefundRequestCommand): Promise<RefundDecision> {
    const streamId = refundRequestStreamId(refundRequestId);
    const loaded = await this.repository.load(streamId, refundRequestStream);
    const current = loaded.state;
    assertAllowed('refundRequest.decide', context.actor, refundResource(current), 'refund request');
    const now = this.clock.now();
    const metadata = { actor: context.actor, now: now.toISOString() };
    const command: ApproveRefundRequest | RejectRefundRequest = decision.approve
      ? {
          type: 'ApproveRefundRequest',
          data: { refundRequestId, ...(decision.amount !== undefined ? { amount: decision.amount } : {}), ...(decision.note ? { note: decision.note } : {}) },
          metadata,
        }
      : { type: 'RejectRefundRequest', data: { refundRequestId, reason: decision.reason }, metadata };
    const options = {
      metadata: (event: { type: string }) =>
        eventMetadata(context, now, { tenantId: current.submitted?.customerTenantId, partnerTenantId: current.submitted?.partnerTenantId }, event.type),
    };
    const orderId = current.submitted?.orderId;
    // Where the decision goes is the domain's rule (refundDecisionStreamId): the order's stream when it names one.
    const decisionStream = refundDecisionStreamId({ refundRequestId, ...(orderId !== undefined ? { orderId } : {}) });
    const { view, events, append } =
      orderId !== undefined
        ? await this.repository
            .execute(decisionStream, orderRefundsStream, (order) => decideRefundDecision(command, current.domain, orderWithRefundDecisions(order)), options)
            .then((r) => ({ view: refundRequestView(current, r.state), events: r.events, append: r.append }))
        : await this.repository
            .execute(decisionStream, refundRequestStream, (state) => decideRefundDecision(command, state.domain), { ...options, assume: loaded })
            .then((r) => ({ view: refundRequestView(r.state), events: r.events, append: r.append }));
    const credit = events.find((e): e is CreditIssued => e.type === 'CreditIssued');
    return {
      ...view,
      ...(credit
        ? { credit: { creditId: credit.data.creditId, amount: credit.data.amount, currency: credit.data.currency, invoiceMonth: credit.data.invoiceMonth } }
        : {}),
      position: append && formatPosition(append.position),
    };
  }
}
