import { evolveOrder, initialOrderState, type OrderEvent, type OrderState } from '@csp/orders';
import type { RefundRequestApproved, RefundRequestRejected } from './refund-request.events';

/**
 * Everything an order's stream holds: the order's own events and the decisions of the refund
 * requests that name the order. A decision moves the order's money, so it is decided and appended
 * under the order's expected revision, in one commit with its credit. The orders context knows
 * only its own events; the decisions are this context's.
 */
export type OrderStreamEvent = OrderEvent | RefundRequestApproved | RefundRequestRejected;

/** An order as a refund decision reads it: the order's state and the decisions its stream holds. */
export interface OrderWithRefundDecisions {
  readonly order: OrderState;
  /** The refund requests naming this order that were decided, by id: a request is decided once. */
  readonly decisions: ReadonlyMap<string, 'approved' | 'rejected'>;
}

export const initialOrderWithRefundDecisions: OrderWithRefundDecisions = { order: initialOrderState, decisions: new Map() };

/** An order none of whose refund requests was decided yet. */
export const withoutRefundDecisions = (order: OrderState): OrderWithRefundDecisions => ({ order, decisions: new Map() });

export function evolveOrderWithRefundDecisions(state: OrderWithRefundDecisions, event: OrderStreamEvent): OrderWithRefundDecisions {
  switch (event.type) {
    case 'RefundRequestApproved':
      return { ...state, decisions: new Map(state.decisions).set(event.data.refundRequestId, 'approved') };
    case 'RefundRequestRejected':
      return { ...state, decisions: new Map(state.decisions).set(event.data.refundRequestId, 'rejected') };
    default:
      return { ...state, order: evolveOrder(state.order, event) };
  }
}
