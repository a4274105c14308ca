import {
  evolveOrder,
  initialOrderState,
  type CancelledLine,
  type OrderEvent,
  type OrderState,
  type SoftwarePurchased,
} from '@csp/domain';
import type { TenantResource } from '@csp/security';
import type { StreamModel } from '../stream-repository';

/**
 * The order's decision state plus what the edge needs to answer: the purchase as recorded and the
 * cancellations, so responses and authorisation don't depend on the decider's internal shape.
 */
export interface OrderStream {
  readonly domain: OrderState;
  readonly purchase?: SoftwarePurchased['data'];
  readonly cancelled: Readonly<Record<number, { readonly cancelledAt: string; readonly credit: CancelledLine['credit']; readonly invoiceMonth: string }>>;
}

export const orderStream: StreamModel<OrderStream, OrderEvent> = {
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

export function orderResource(state: OrderStream): TenantResource | undefined {
  return state.purchase && { partnerTenantId: state.purchase.partnerTenantId, customerTenantId: state.purchase.customerTenantId };
}

/** The order as the API shows it. */
export function orderView(state: OrderStream) {
  const purchase = state.purchase!;
  const totals = new Map<string, number>();
  for (const line of purchase.lines) totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.amount);
  const cancelledCount = Object.keys(state.cancelled).length;
  return {
    orderId: purchase.orderId,
    customerId: purchase.customerId,
    customerTenantId: purchase.customerTenantId,
    status: cancelledCount === 0 ? 'active' : cancelledCount === purchase.lines.length ? 'cancelled' : 'partially-cancelled',
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
    totals: [...totals].map(([currency, amount]) => ({ amount, currency })),
    cancellationPolicy: purchase.policy,
    ...(purchase.idempotencyKey !== undefined ? { idempotencyKey: purchase.idempotencyKey } : {}),
  };
}
