import {
  creditableRemainders,
  evolveOrder,
  initialOrderState,
  orderStatus,
  totalsByCurrency,
  type CancelledLine,
  type Money,
  type OrderState,
  type OrderStatus,
  type OrderStreamEvent,
  type SoftwarePurchased,
} from '@csp/domain';
import type { TenantResource } from '@csp/security';
import type { StreamModel } from '../stream-repository';

/**
 * The order's decision state plus what the edge needs to answer: the purchase as recorded and the
 * cancellations, so responses and authorisation don't depend on the decider's internal shape.
 */
export interface OrderStreamState {
  readonly domain: OrderState;
  readonly purchase?: SoftwarePurchased['data'];
  readonly cancelled: Readonly<Record<number, { readonly cancelledAt: string; readonly credit: CancelledLine['credit']; readonly invoiceMonth: string }>>;
  /** Decisions of the refund requests that name this order, which live in its stream, by request id. */
  readonly refundDecisions: Readonly<Record<string, RefundDecisionView>>;
}

/** A refund request's decision as the API shows it. */
export interface RefundDecisionView {
  readonly status: 'approved' | 'rejected';
  readonly at: string;
  readonly amount?: Money;
  readonly reason?: string;
  readonly note?: string;
}

export const orderStream: StreamModel<OrderStreamState, OrderStreamEvent> = {
  initialState: { domain: initialOrderState, cancelled: {}, refundDecisions: {} },
  evolve(state, event) {
    const domain = evolveOrder(state.domain, event);
    if (event.type === 'SoftwarePurchased') return { ...state, domain, purchase: event.data };
    if (event.type === 'RefundRequestApproved') {
      const { refundRequestId, approvedAt, approvedAmount, note } = event.data;
      return {
        ...state,
        domain,
        refundDecisions: {
          ...state.refundDecisions,
          [refundRequestId]: { status: 'approved', at: approvedAt, amount: approvedAmount, ...(note ? { note } : {}) },
        },
      };
    }
    if (event.type === 'RefundRequestRejected') {
      const { refundRequestId, rejectedAt, reason } = event.data;
      return { ...state, domain, refundDecisions: { ...state.refundDecisions, [refundRequestId]: { status: 'rejected', at: rejectedAt, reason } } };
    }
    if (event.type === 'OrderCancelled') {
      const cancelled = { ...state.cancelled };
      for (const line of event.data.lines) {
        cancelled[line.line] = { cancelledAt: event.data.cancelledAt, credit: line.credit, invoiceMonth: event.data.invoiceMonth };
      }
      return { ...state, domain, cancelled };
    }
    return { ...state, domain };
  },
};

export function orderResource(state: OrderStreamState): TenantResource | undefined {
  return state.purchase && { partnerTenantId: state.purchase.partnerTenantId, customerTenantId: state.purchase.customerTenantId };
}

/** The status of a placed order (the rule: @csp/domain orderStatus), for its view and the CancelOrder response. */
export const orderStatusOf = (state: OrderStreamState): OrderStatus => orderStatus(state.purchase!.lines.length, Object.keys(state.cancelled).length);

/** The order as the API shows it. */
export function orderView(state: OrderStreamState) {
  const purchase = state.purchase!;
  return {
    orderId: purchase.orderId,
    customerId: purchase.customerId,
    customerTenantId: purchase.customerTenantId,
    status: orderStatusOf(state),
    market: purchase.market,
    taxInclusive: purchase.taxInclusive,
    purchasedAt: purchase.purchasedAt,
    lines: purchase.lines.map((line) => ({
      line: line.line,
      sku: line.sku,
      name: line.name,
      family: line.family,
      licenseType: line.licenseType,
      ...(line.termMonths !== undefined ? { termMonths: line.termMonths } : {}),
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.amount,
      currency: line.currency,
      cancellationClass: line.cancellationClass,
      status: state.cancelled[line.line] ? 'cancelled' : 'active',
      ...(state.cancelled[line.line] ? { cancelledAt: state.cancelled[line.line]!.cancelledAt } : {}),
    })),
    totals: totalsByCurrency(purchase.lines),
    // What cancellations and refund approvals may still credit, by the rule that caps them.
    ...(state.domain.status === 'placed' ? { creditable: creditableRemainders(state.domain) } : {}),
    cancellationPolicy: purchase.policy,
    ...(purchase.idempotencyKey !== undefined ? { idempotencyKey: purchase.idempotencyKey } : {}),
  };
}
