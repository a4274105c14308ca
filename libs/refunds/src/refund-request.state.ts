import type { RefundRequestEvent, RefundRequestSubmitted } from './refund-request.events';

/** A refund request's own stream: its submission and, for a request that names no order, its decision. */
export type RefundRequestState =
  | { readonly status: 'none' }
  | {
      readonly status: 'submitted' | 'approved' | 'rejected';
      readonly request: RefundRequestSubmitted['data'];
    };

export const initialRefundRequestState: RefundRequestState = { status: 'none' };

export function evolveRefundRequest(state: RefundRequestState, event: RefundRequestEvent): RefundRequestState {
  switch (event.type) {
    case 'RefundRequestSubmitted':
      return { status: 'submitted', request: event.data };
    case 'RefundRequestApproved':
      return state.status === 'none' ? state : { ...state, status: 'approved' };
    case 'RefundRequestRejected':
      return state.status === 'none' ? state : { ...state, status: 'rejected' };
    default:
      return state;
  }
}
