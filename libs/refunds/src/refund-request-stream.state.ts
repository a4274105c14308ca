import type { Money, StreamModel } from '@csp/domain';
import { orderStream, type OrderStreamState } from '@csp/orders';
import type { OrderStreamEvent, OrderWithRefundDecisions } from './order-refund-decisions.state';
import type { RefundRequestEvent, RefundRequestSubmitted } from './refund-request.events';
import { evolveRefundRequest, initialRefundRequestState, type RefundRequestState } from './refund-request.state';

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

/** A refund request's decision as the API shows it. */
interface RefundDecisionView {
  readonly status: 'approved' | 'rejected';
  readonly at: string;
  readonly amount?: Money;
  readonly reason?: string;
  readonly note?: string;
}

/** The stream of an order a refund request names: the order as its handlers read it, and the decisions of the requests naming it, by id. */
export interface OrderRefundsStreamState {
  readonly order: OrderStreamState;
  readonly decisions: Readonly<Record<string, RefundDecisionView>>;
}

export const orderRefundsStream: StreamModel<OrderRefundsStreamState, OrderStreamEvent> = {
  initialState: { order: orderStream.initialState, decisions: {} },
  evolve(state, event) {
    switch (event.type) {
      case 'RefundRequestApproved': {
        const { refundRequestId, approvedAt, approvedAmount, note } = event.data;
        const decision: RefundDecisionView = { status: 'approved', at: approvedAt, amount: approvedAmount, ...(note ? { note } : {}) };
        return { ...state, decisions: { ...state.decisions, [refundRequestId]: decision } };
      }
      case 'RefundRequestRejected': {
        const { refundRequestId, rejectedAt, reason } = event.data;
        return { ...state, decisions: { ...state.decisions, [refundRequestId]: { status: 'rejected', at: rejectedAt, reason } } };
      }
      default:
        return { ...state, order: orderStream.evolve(state.order, event) };
    }
  },
};

/** The order and its decisions as the domain's refund decisions read them. */
export const orderWithRefundDecisions = (state: OrderRefundsStreamState): OrderWithRefundDecisions => ({
  order: state.order.domain,
  decisions: new Map(Object.entries(state.decisions).map(([id, decision]) => [id, decision.status])),
});

/**
 * The request as the API shows it. `order` is the state of the order it names: the decision of such
 * a request is in the order's stream (requests decided before that was so have it in their own).
 */
export function refundRequestView(state: RefundRequestStreamState, order?: OrderRefundsStreamState) {
  const s = state.submitted!;
  const onOrder = order?.decisions[s.refundRequestId];
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

/** The request as the API shows it (refundRequestView). */
export type RefundRequestView = ReturnType<typeof refundRequestView>;

/** Who a request belongs to, for authorisation: its partner and, when known, the customer's tenant. */
export const refundResource = (state: RefundRequestStreamState) =>
  state.submitted && {
    partnerTenantId: state.submitted.partnerTenantId,
    ...(state.submitted.customerTenantId ? { customerTenantId: state.submitted.customerTenantId } : {}),
  };
