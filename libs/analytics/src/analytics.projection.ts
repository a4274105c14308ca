import { isKeyAccessEvent, KEY_ACCESS_EVENT_TYPES, keyAccessOf, type KeyAccessKind } from '@csp/audit';
import { addByCurrency, DAY_MS } from '@csp/domain';
import type { OrderCancelled, SoftwarePurchased } from '@csp/orders';
import type { RecordedEvent } from '@csp/event-store';
import type { Projection, ReadModelOp, RecordedOf } from '@csp/projections';

/** Purchases of one SKU in one market by one partner's customers. */
export interface PurchaseCounters {
  partnerTenantId: string;
  sku: string;
  family: string;
  market: string;
  lines: number;
  quantity: number;
  /** Minor units by currency. */
  amounts: Record<string, number>;
}

/** Key access of one partner's customers on one UTC day. */
export interface AccessCounters {
  partnerTenantId: string;
  day: string;
  keyReveals: number;
  linkIssues: number;
  downloads: number;
}

export interface CancellationCounters {
  partnerTenantId: string;
  orders: number;
  /** Orders with at least one cancelled line, and the time from purchase to their first cancellation. */
  cancelledOrders: number;
  totalDaysToCancel: number;
}

interface OrderFacts {
  partnerTenantId: string;
  purchasedAt: string;
  cancelled: boolean;
}

export const analyticsKeys = {
  purchases: (partner: string, sku: string, market: string) => `purchases:${partner}|${sku}|${market}`,
  purchasesIndex: 'purchases',
  access: (partner: string, day: string) => `access:${partner}|${day}`,
  accessIndex: (partner: string) => `access:${partner}`,
  accessAllIndex: 'access-all',
  cancellations: (partner: string) => `cancellations:${partner}`,
  cancellationsIndex: 'cancellations',
  order: (orderId: string) => `order:${orderId}`,
};

/** The counter of each kind of key access (which events those are: @csp/audit keyAccessOf). */
const COUNTER: Record<KeyAccessKind, keyof Pick<AccessCounters, 'keyReveals' | 'linkIssues' | 'downloads'>> = {
  'key-revealed': 'keyReveals',
  'download-link-issued': 'linkIssues',
  'software-downloaded': 'downloads',
};

/**
 * Counters for analysts: purchases by SKU and market, key access per day, cancellations. Partner
 * by partner, so that a partner's own admins see only their share and operators see the sum.
 */
export const analyticsProjection: Projection = {
  name: 'analytics',
  eventTypes: new Set(['SoftwarePurchased', 'OrderCancelled', ...KEY_ACCESS_EVENT_TYPES]),
  reads(event: RecordedEvent): string[] {
    if (event.type === 'SoftwarePurchased') {
      const d = (event as RecordedOf<SoftwarePurchased>).data;
      return [...d.lines.map((l) => analyticsKeys.purchases(d.partnerTenantId, l.sku, d.market)), analyticsKeys.cancellations(d.partnerTenantId)];
    }
    if (event.type === 'OrderCancelled') {
      const d = (event as RecordedOf<OrderCancelled>).data;
      return [analyticsKeys.order(d.orderId), analyticsKeys.cancellations(d.partnerTenantId)];
    }
    if (isKeyAccessEvent(event.type)) {
      const access = keyAccessOf(event)!;
      return [analyticsKeys.access(access.partnerTenantId, dayOf(event))];
    }
    return [];
  },
  apply(event, docs): ReadModelOp[] {
    if (event.type === 'SoftwarePurchased') {
      const d = (event as RecordedOf<SoftwarePurchased>).data;
      const ops: ReadModelOp[] = [];
      const counters = new Map<string, PurchaseCounters>();
      for (const line of d.lines) {
        const key = analyticsKeys.purchases(d.partnerTenantId, line.sku, d.market);
        const current = counters.get(key) ??
          (docs.get(key) as PurchaseCounters | undefined) ?? {
            partnerTenantId: d.partnerTenantId,
            sku: line.sku,
            family: line.family,
            market: d.market,
            lines: 0,
            quantity: 0,
            amounts: {},
          };
        counters.set(key, {
          ...current,
          lines: current.lines + 1,
          quantity: current.quantity + line.quantity,
          amounts: Object.fromEntries(addByCurrency([line], new Map(Object.entries(current.amounts)))),
        });
      }
      for (const [key, value] of counters) {
        if (!docs.get(key)) ops.push({ op: 'index-add', index: analyticsKeys.purchasesIndex, entry: key.slice('purchases:'.length) });
        ops.push({ op: 'put', key, value });
      }
      const cKey = analyticsKeys.cancellations(d.partnerTenantId);
      const cancellations = (docs.get(cKey) as CancellationCounters | undefined) ?? {
        partnerTenantId: d.partnerTenantId,
        orders: 0,
        cancelledOrders: 0,
        totalDaysToCancel: 0,
      };
      if (!docs.get(cKey)) ops.push({ op: 'index-add', index: analyticsKeys.cancellationsIndex, entry: d.partnerTenantId });
      ops.push({ op: 'put', key: cKey, value: { ...cancellations, orders: cancellations.orders + 1 } });
      const facts: OrderFacts = { partnerTenantId: d.partnerTenantId, purchasedAt: d.purchasedAt, cancelled: false };
      ops.push({ op: 'put', key: analyticsKeys.order(d.orderId), value: facts });
      return ops;
    }
    if (event.type === 'OrderCancelled') {
      const d = (event as RecordedOf<OrderCancelled>).data;
      const facts = docs.get(analyticsKeys.order(d.orderId)) as OrderFacts | undefined;
      if (!facts) throw new Error(`OrderCancelled at ${event.streamId}@${event.revision} has no purchase before it`);
      if (facts.cancelled) return [];
      const cKey = analyticsKeys.cancellations(d.partnerTenantId);
      const c = docs.get(cKey) as CancellationCounters;
      const days = (Date.parse(d.cancelledAt) - Date.parse(facts.purchasedAt)) / DAY_MS;
      return [
        { op: 'put', key: cKey, value: { ...c, cancelledOrders: c.cancelledOrders + 1, totalDaysToCancel: c.totalDaysToCancel + days } },
        { op: 'put', key: analyticsKeys.order(d.orderId), value: { ...facts, cancelled: true } },
      ];
    }
    const d = keyAccessOf(event);
    if (!d) return [];
    const field = COUNTER[d.kind];
    const day = dayOf(event);
    const key = analyticsKeys.access(d.partnerTenantId, day);
    const current = (docs.get(key) as AccessCounters | undefined) ?? { partnerTenantId: d.partnerTenantId, day, keyReveals: 0, linkIssues: 0, downloads: 0 };
    const ops: ReadModelOp[] = [{ op: 'put', key, value: { ...current, [field]: current[field] + 1 } }];
    if (!docs.get(key)) {
      ops.push({ op: 'index-add', index: analyticsKeys.accessIndex(d.partnerTenantId), entry: day });
      ops.push({ op: 'index-add', index: analyticsKeys.accessAllIndex, entry: `${day}|${d.partnerTenantId}` });
    }
    return ops;
  },
};

/** The UTC day of an access, from the event's own instant (events write instants in UTC). */
function dayOf(event: RecordedEvent): string {
  return (keyAccessOf(event)?.at ?? event.metadata.occurredAt).slice(0, 10);
}
