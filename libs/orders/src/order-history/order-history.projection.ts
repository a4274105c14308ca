import { isOrderStream, sortableTime, totalsByCurrency, type Money } from '@csp/domain';
import type { OrderEvent } from '../order.events';
import { orderStatus, type OrderStatus } from '../order-status.rules';
import type { Projection, RecordedOf } from '@csp/projections';
import { ORDER_LIFE_EVENTS } from '../order-life.rules';

export interface OrderHistoryView {
  orderId: string;
  customerId: string;
  partnerTenantId: string;
  customerTenantId: string;
  status: OrderStatus;
  linesCount: number;
  cancelledLines: number[];
  /** Per currency, in currency-code order. */
  totals: Money[];
  purchasedAt: string;
  cancelledAt?: string;
  /** Every event of the order, in order. */
  events: { type: string; at: string; position: string }[];
}

// Its credits too: an order's history shows what it cost and what came back.
const ORDER_EVENTS = new Set<string>([...ORDER_LIFE_EVENTS, 'CreditIssued']);
const key = (orderId: string) => `order:${orderId}`;
export const orderHistoryIndex = (customerId: string) => `customer:${customerId}`;

/** The instant an event says it happened (its own field; metadata.occurredAt as a fallback). */
function instantOf(data: Record<string, unknown>, occurredAt: string): string {
  for (const field of ['purchasedAt', 'assignedAt', 'revealedAt', 'issuedAt', 'downloadedAt', 'cancelledAt', 'revokedAt']) {
    if (typeof data[field] === 'string') return data[field] as string;
  }
  return occurredAt;
}

export const orderHistoryProjection: Projection = {
  name: 'order-history',
  eventTypes: ORDER_EVENTS,
  reads: (recorded) => {
    if (!ORDER_EVENTS.has(recorded.type)) return [];
    const event = recorded as RecordedOf<OrderEvent>;
    if (event.type === 'SoftwarePurchased') return [];
    const orderId = event.data.orderId;
    // Only the order's own stream: a refund request that names the order has its credit there (one
    // commit with its approval), so the history shows it once; requests decided before that was so
    // have their credit in their own stream, which the history leaves out as it always did.
    return orderId && isOrderStream(event.streamId) ? [key(orderId)] : [];
  },
  apply(recorded, docs) {
    if (!ORDER_EVENTS.has(recorded.type)) return [];
    const event = recorded as RecordedOf<OrderEvent>;
    const data = event.data as Record<string, unknown>;
    const entry = { type: event.type, at: instantOf(data, event.metadata.occurredAt), position: event.position.commit.toString() };
    if (event.type === 'SoftwarePurchased') {
      const d = event.data;
      const view: OrderHistoryView = {
        orderId: d.orderId,
        customerId: d.customerId,
        partnerTenantId: d.partnerTenantId,
        customerTenantId: d.customerTenantId,
        status: orderStatus(d.lines.length, 0),
        linesCount: d.lines.length,
        cancelledLines: [],
        totals: totalsByCurrency(d.lines),
        purchasedAt: d.purchasedAt,
        events: [entry],
      };
      return [
        { op: 'put', key: key(d.orderId), value: view },
        { op: 'index-add', index: orderHistoryIndex(d.customerId), entry: `${sortableTime(d.purchasedAt)}|${d.orderId}` },
      ];
    }
    if (!isOrderStream(event.streamId)) return [];
    const view = docs.get(key(String(event.data.orderId))) as OrderHistoryView | undefined;
    if (!view) throw new Error(`${event.type} at ${event.streamId}@${event.revision} has no purchase before it`);
    let next: OrderHistoryView = { ...view, events: [...view.events, entry] };
    if (event.type === 'OrderCancelled') {
      const d = event.data;
      const cancelledLines = [...new Set([...view.cancelledLines, ...d.lines.map((l) => l.line)])].sort((a, b) => a - b);
      next = { ...next, cancelledLines, status: orderStatus(view.linesCount, cancelledLines.length), cancelledAt: d.cancelledAt };
    }
    return [{ op: 'put', key: key(view.orderId), value: next }];
  },
};
