import { totalsByCurrency, type StreamModel, type TenantResource } from '@csp/domain';
import type { CancelledLine, OrderEvent, SoftwarePurchased } from './order.events';
import { creditableRemainders } from './order-credits.rules';
import { orderStatus, type LineStatus, type OrderStatus } from './order-status.rules';
import { evolveOrder, initialOrderState, type OrderState } from './order.state';

/**
 * The order's decision state plus what the edge needs to answer: the purchase as recorded and the
 * cancellations, so responses and authorisation don't depend on the decider's internal shape.
 */
export interface OrderStreamState {
  readonly domain: OrderState;
  readonly purchase?: SoftwarePurchased['data'];
  readonly cancelled: Readonly<Record<number, { readonly cancelledAt: string; readonly credit: CancelledLine['credit']; readonly invoiceMonth: string }>>;
}

/** The order's stream as the order's handlers read it; the refund decisions it also holds are the refunds context's (orderRefundsStream). */
export const orderStream: StreamModel<OrderStreamState, OrderEvent> = {
  initialState: { domain: initialOrderState, cancelled: {} },
  evolve(state, event) {
    const domain = evolveOrder(state.domain, event);
    if (event.type === 'SoftwarePurchased') return { ...state, domain, purchase: event.data };
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

/** The status of a placed order (the rule: orderStatus, order-status.rules.ts), for its view and the CancelOrder response. */
export const orderStatusOf = (state: OrderStreamState): OrderStatus => orderStatus(state.purchase!.lines.length, Object.keys(state.cancelled).length);

/** The order as the API shows it (documented by OrderResponse, get-order/get-order.response.ts). */
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
      status: (state.cancelled[line.line] ? 'cancelled' : 'active') as LineStatus,
      ...(state.cancelled[line.line] ? { cancelledAt: state.cancelled[line.line]!.cancelledAt } : {}),
    })),
    totals: totalsByCurrency(purchase.lines),
    // What cancellations and refund approvals may still credit, by the rule that caps them.
    ...(state.domain.status === 'placed' ? { creditable: creditableRemainders(state.domain) } : {}),
    cancellationPolicy: purchase.policy,
    ...(purchase.idempotencyKey !== undefined ? { idempotencyKey: purchase.idempotencyKey } : {}),
  };
}

/** The order as the API shows it (orderView). */
export type OrderView = ReturnType<typeof orderView>;
