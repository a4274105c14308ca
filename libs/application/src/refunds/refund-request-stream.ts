import {
  evolveRefundRequest,
  initialRefundRequestState,
  type RefundRequestEvent,
  type RefundRequestState,
  type RefundRequestSubmitted,
} from '@csp/domain';
import type { StreamModel } from '../stream-repository';

/** The refund request's decision state plus what the edge shows and authorises on. */
export interface RefundRequestStream {
  readonly domain: RefundRequestState;
  readonly submitted?: RefundRequestSubmitted['data'];
  readonly status: 'submitted' | 'approved' | 'rejected';
  readonly decision?: { readonly at: string; readonly amount?: { amount: number; currency: string }; readonly reason?: string; readonly note?: string };
}

export const refundRequestStream: StreamModel<RefundRequestStream, RefundRequestEvent> = {
  initialState: { domain: initialRefundRequestState, status: 'submitted' },
  evolve(state, event) {
    const domain = evolveRefundRequest(state.domain, event);
    switch (event.type) {
      case 'RefundRequestSubmitted':
        return { ...state, domain, submitted: event.data };
      case 'RefundRequestApproved':
        return { ...state, domain, status: 'approved', decision: { at: event.data.approvedAt, amount: event.data.approvedAmount, ...(event.data.note ? { note: event.data.note } : {}) } };
      case 'RefundRequestRejected':
        return { ...state, domain, status: 'rejected', decision: { at: event.data.rejectedAt, reason: event.data.reason } };
      default:
        return { ...state, domain };
    }
  },
};

export function refundRequestView(state: RefundRequestStream) {
  const s = state.submitted!;
  return {
    refundRequestId: s.refundRequestId,
    status: state.status,
    ...(s.customerTenantId ? { tenantId: s.customerTenantId } : {}),
    ...(s.domain ? { domain: s.domain } : {}),
    ...(s.customerId ? { customerId: s.customerId } : {}),
    ...(s.orderId ? { orderId: s.orderId } : {}),
    ...(s.subscriptionId ? { subscriptionId: s.subscriptionId } : {}),
    reason: s.reason,
    amountRequested: s.amountRequested,
    attachments: s.attachments,
    submittedAt: s.submittedAt,
    ...(state.decision ? { decision: state.decision } : {}),
  };
}
