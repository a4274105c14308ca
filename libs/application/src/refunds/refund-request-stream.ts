import { evolveRefundRequest, initialRefundRequestState, type RefundRequestEvent, type RefundRequestState, type RefundRequestSubmitted } from '@csp/domain';
import type { OrderStreamState } from '../orders/order-stream';
import type { StreamModel } from '../stream-repository';

/** The refund request's decision state plus what the edge shows and authorises on. */
export interface RefundRequestStreamState {
  readonly domain: RefundRequestState;
  readonly submitted?: RefundRequestSubmitted['data'];
  readonly status: 'submitted' | 'approved' | 'rejected';
  readonly decision?: { readonly at: string; readonly amount?: { amount: number; currency: string }; readonly reason?: string; readonly note?: string };
}

export const refundRequestStream: StreamModel<RefundRequestStreamState, RefundRequestEvent> = {
  initialState: { domain: initialRefundRequestState, status: 'submitted' },
  evolve(state, event) {
    const domain = evolveRefundRequest(state.domain, event);
    switch (event.type) {
      case 'RefundRequestSubmitted':
        return { ...state, domain, submitted: event.data };
      case 'RefundRequestApproved':
        return {
          ...state,
          domain,
          status: 'approved',
          decision: { at: event.data.approvedAt, amount: event.data.approvedAmount, ...(event.data.note ? { note: event.data.note } : {}) },
        };
      case 'RefundRequestRejected':
        return { ...state, domain, status: 'rejected', decision: { at: event.data.rejectedAt, reason: event.data.reason } };
      default:
        return { ...state, domain };
    }
  },
};

/**
 * The request as the API shows it. `order` is the state of the order it names: the decision of such
 * a request is in the order's stream (requests decided before that was so have it in their own).
 */
export function refundRequestView(state: RefundRequestStreamState, order?: OrderStreamState) {
  const s = state.submitted!;
  const onOrder = order?.refundDecisions[s.refundRequestId];
  const decision = onOrder
    ? {
        at: onOrder.at,
        ...(onOrder.amount ? { amount: onOrder.amount } : {}),
        ...(onOrder.reason ? { reason: onOrder.reason } : {}),
        ...(onOrder.note ? { note: onOrder.note } : {}),
      }
    : state.decision;
  return {
    refundRequestId: s.refundRequestId,
    status: onOrder?.status ?? state.status,
    ...(s.customerTenantId ? { tenantId: s.customerTenantId } : {}),
    ...(s.domain ? { domain: s.domain } : {}),
    ...(s.customerId ? { customerId: s.customerId } : {}),
    ...(s.orderId ? { orderId: s.orderId } : {}),
    ...(s.subscriptionId ? { subscriptionId: s.subscriptionId } : {}),
    reason: s.reason,
    amountRequested: s.amountRequested,
    attachments: s.attachments,
    submittedAt: s.submittedAt,
    ...(decision ? { decision } : {}),
  };
}
