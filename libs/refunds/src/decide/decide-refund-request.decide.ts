import { accessedBy, conflict, instantMs, invalid, invoiceMonthAfter, isoOf, type Money } from '@csp/domain';
import { creditableRemainder, type CreditIssued, type PlacedOrder } from '@csp/orders';
import type { OrderWithRefundDecisions } from '../order-refund-decisions.state';
import type { ApproveRefundRequest, RejectRefundRequest } from '../refund-request.commands';
import type { RefundRequestApproved, RefundRequestRejected } from '../refund-request.events';
import { decidable, orderNamed } from '../refund-request.rules';
import type { RefundRequestState } from '../refund-request.state';

/** What deciding a refund request appends: to the order's stream when it names one (refundDecisionStreamId). */
export type RefundDecisionEvent = RefundRequestApproved | RefundRequestRejected | CreditIssued;

/** Approves or rejects a submitted request; for a request naming an order, on that order's state. */
export function decideRefundDecision(
  command: ApproveRefundRequest | RejectRefundRequest,
  state: RefundRequestState,
  order?: OrderWithRefundDecisions,
): RefundDecisionEvent[] {
  const by = accessedBy(command);
  const nowMs = instantMs(command.metadata.now, 'now');
  const now = isoOf(nowMs);
  const request = decidable(state);
  const placed = request.orderId !== undefined ? orderNamed(order?.order, request.orderId) : undefined;
  // Decisions of a request naming an order are in the order's stream: that is where "decided once" is known.
  const earlier = placed && order?.decisions.get(request.refundRequestId);
  if (earlier) throw conflict('refund_request_decided', `This refund request was already ${earlier}`);
  if (command.type === 'RejectRefundRequest') {
    if (command.data.reason.trim() === '') throw invalid('invalid_reason', 'A rejection needs a reason', { field: 'reason' });
    return [
      {
        type: 'RefundRequestRejected',
        data: {
          refundRequestId: request.refundRequestId,
          partnerTenantId: request.partnerTenantId,
          reason: command.data.reason,
          rejectedAt: now,
          rejectedBy: by,
        },
      },
    ];
  }
  const requested = request.amountRequested;
  const amount = command.data.amount ?? requested.amount;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > requested.amount) {
    throw invalid('invalid_amount', `The approved amount must be from 1 to the ${requested.amount} requested`, { field: 'amount' });
  }
  const approvedAmount: Money = { amount, currency: requested.currency };
  // A request without an order is capped by its amount alone (checked above).
  if (placed) assertCreditFits(placed, approvedAmount, command.data.amount === undefined);
  return [
    {
      type: 'RefundRequestApproved',
      data: {
        refundRequestId: request.refundRequestId,
        partnerTenantId: request.partnerTenantId,
        approvedAmount,
        ...(command.data.note ? { note: command.data.note } : {}),
        approvedAt: now,
        approvedBy: by,
      },
    },
    {
      type: 'CreditIssued',
      data: {
        creditId: request.refundRequestId,
        source: { type: 'refund-request', refundRequestId: request.refundRequestId, ...(request.orderId ? { orderId: request.orderId } : {}) },
        partnerTenantId: request.partnerTenantId,
        ...(request.customerId ? { customerId: request.customerId } : {}),
        ...(request.customerTenantId ? { customerTenantId: request.customerTenantId } : {}),
        ...(request.orderId ? { orderId: request.orderId } : {}),
        amount,
        currency: requested.currency,
        // As tax-inclusive as the order it refunds; a request without an order has no prices to follow.
        taxInclusive: placed?.taxInclusive ?? false,
        invoiceMonth: invoiceMonthAfter(nowMs),
        issuedAt: now,
      },
    },
  ];
}

/**
 * The order's credits, from cancellations and approved refunds together, never exceed what its
 * lines were paid: an approval beyond what the order has left to credit is refused, whatever was
 * requested. The refusal names the remainder, so back office can approve that much instead.
 */
function assertCreditFits(order: PlacedOrder, credit: Money, amountImplied: boolean): void {
  const remaining = creditableRemainder(order, credit.currency);
  if (credit.amount <= remaining) return;
  const orderId = order.ref.orderId;
  const paid = order.paid.get(credit.currency) ?? 0;
  const credited = order.credited.get(credit.currency) ?? 0;
  const details = {
    field: 'amount',
    orderId,
    approved: credit,
    remaining: { amount: remaining, currency: credit.currency },
    paid: { amount: paid, currency: credit.currency },
    credited: { amount: credited, currency: credit.currency },
  };
  const account = `order ${orderId} was paid ${paid} and has been credited ${credited} ${credit.currency}`;
  if (remaining === 0) throw conflict('credit_exceeds_order', `Nothing is left to credit in ${credit.currency}: ${account}`, details);
  throw conflict(
    'credit_exceeds_order',
    amountImplied
      ? `The ${credit.amount} requested exceed the ${remaining} ${credit.currency} left to credit (${account}); approve with an amount of at most ${remaining}`
      : `The approved amount ${credit.amount} exceeds the ${remaining} ${credit.currency} left to credit (${account})`,
    details,
  );
}
