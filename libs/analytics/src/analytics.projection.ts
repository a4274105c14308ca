import { isKeyAccessEvent, KEY_ACCESS_EVENT_TYPES, keyAccessOf, type KeyAccessKind } from '@csp/audit';
import { addByCurrency, DAY_MS, type Money } from '@csp/domain';
import type { CreditIssued, OrderCancelled, PurchasedLine, SoftwarePurchased } from '@csp/orders';
import type { RecordedEvent } from '@csp/event-store';
import type { Projection, ReadModelOp, RecordedOf } from '@csp/projections';

/** Purchases of one group: a SKU, a market, or a SKU in a market. */
export interface PurchaseGroupTotals {
  sku?: string;
  family?: string;
  /**
   * The purchases (`partner|sku|market`) whose first line gave `family`: of the group's, the first
   * in that order. A SKU's family is the catalog's at purchase, and the catalog may change it.
   */
  familyFrom?: string;
  market?: string;
  lines: number;
  quantity: number;
  /** Minor units by currency. */
  amounts: Record<string, number>;
}

/** Key access on one UTC day. */
export interface AccessDayTotals {
  day: string;
  keyReveals: number;
  linkIssues: number;
  downloads: number;
}

/** Credits of one invoice month and one group: a partner, a customer or a product family. */
export interface CreditGroupTotals {
  invoiceMonth: string;
  group: string;
  credits: number;
  /** Minor units by currency. */
  amounts: Record<string, number>;
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

export type PurchaseGrouping = readonly ('sku' | 'market')[];
export type CreditGrouping = 'partner' | 'customer' | 'family';

/** Every way purchases may be grouped, each kept in the order its answer lists groups (its fields' values joined by `|`). */
const PURCHASE_GROUPINGS: readonly PurchaseGrouping[] = [['sku'], ['market'], ['sku', 'market'], ['market', 'sku']];

/** What a credit's group is, by grouping: credits of refund requests may have no customer and have no family. */
const CREDIT_GROUPS: Record<CreditGrouping, (credit: CreditIssued['data']) => string> = {
  partner: (c) => c.partnerTenantId,
  customer: (c) => c.customerId ?? '(none)',
  family: (c) => c.family ?? '(refund request)',
};

/** Whose totals: one partner's, or every partner's at once (what analysts and back office see without naming one). */
export const scopeOf = (partnerTenantId?: string) => (partnerTenantId === undefined ? 'all' : `partner:${partnerTenantId}`);
const scopesOf = (partnerTenantId: string) => [scopeOf(partnerTenantId), scopeOf()];

export const analyticsKeys = {
  /** A grouping's index: its groups' entries, sorted as the answer lists them. */
  purchases: (groupBy: PurchaseGrouping, scope: string) => `purchases:${groupBy.join(',')}:${scope}`,
  access: (scope: string) => `access:${scope}`,
  credits: (groupBy: CreditGrouping, scope: string) => `credits:${groupBy}:${scope}`,
  /** The totals of the group whose entry in `index` is `entry`. */
  group: (index: string, entry: string) => `${index}|${entry}`,
  /** How many groups `index` holds: all of them, or those of one part (an invoice month; the days of a month or a year). */
  groups: (index: string, part = '') => `${index}#${part}`,
  cancellations: (partner: string) => `cancellations:${partner}`,
  cancellationsIndex: 'cancellations',
  order: (orderId: string) => `order:${orderId}`,
};

/** One group an event adds to, and how. */
interface GroupChange<T> {
  readonly index: string;
  readonly entry: string;
  /** The counts of groups this group is one of. */
  readonly counts: readonly string[];
  readonly empty: () => T;
  readonly add: (group: T) => T;
}

const keysOf = (changes: readonly GroupChange<unknown>[]) => changes.flatMap((c) => [analyticsKeys.group(c.index, c.entry), ...c.counts]);

const addMoney = (amounts: Record<string, number>, money: Money) => Object.fromEntries(addByCurrency([money], new Map(Object.entries(amounts))));

function purchaseChanges(d: SoftwarePurchased['data'], line: PurchasedLine): GroupChange<PurchaseGroupTotals>[] {
  const source = `${d.partnerTenantId}|${line.sku}|${d.market}`;
  const value = { sku: line.sku, market: d.market };
  return scopesOf(d.partnerTenantId).flatMap((scope) =>
    PURCHASE_GROUPINGS.map((groupBy) => {
      const index = analyticsKeys.purchases(groupBy, scope);
      const bySku = groupBy.includes('sku');
      return {
        index,
        entry: groupBy.map((g) => value[g]).join('|'),
        counts: [analyticsKeys.groups(index)],
        empty: () => ({
          ...(bySku ? { sku: line.sku, family: line.family, familyFrom: source } : {}),
          ...(groupBy.includes('market') ? { market: d.market } : {}),
          lines: 0,
          quantity: 0,
          amounts: {},
        }),
        // A source before the group's is new to it (the group's is the first of those it holds): its family is the group's now.
        add: (g) => ({
          ...g,
          ...(g.familyFrom !== undefined && source < g.familyFrom ? { family: line.family, familyFrom: source } : {}),
          lines: g.lines + 1,
          quantity: g.quantity + line.quantity,
          amounts: addMoney(g.amounts, line),
        }),
      };
    }),
  );
}

/** The counter of each kind of key access (which events those are: @csp/audit keyAccessOf). */
const COUNTER: Record<KeyAccessKind, keyof Pick<AccessDayTotals, 'keyReveals' | 'linkIssues' | 'downloads'>> = {
  'key-revealed': 'keyReveals',
  'download-link-issued': 'linkIssues',
  'software-downloaded': 'downloads',
};

/**
 * Days are counted by month, year, decade and century (the prefixes of YYYY-MM-DD), so that how
 * many days of a range have access is a few dozen counts and the days of at most two months.
 */
const DAY_PARTS = [7, 4, 3, 2];

function accessChanges(event: RecordedEvent): GroupChange<AccessDayTotals>[] {
  const access = keyAccessOf(event)!;
  const day = dayOf(event);
  const field = COUNTER[access.kind];
  return scopesOf(access.partnerTenantId).map((scope) => {
    const index = analyticsKeys.access(scope);
    return {
      index,
      entry: day,
      counts: DAY_PARTS.map((length) => analyticsKeys.groups(index, day.slice(0, length))),
      empty: () => ({ day, keyReveals: 0, linkIssues: 0, downloads: 0 }),
      add: (d) => ({ ...d, [field]: d[field] + 1 }),
    };
  });
}

function creditChanges(credit: CreditIssued['data']): GroupChange<CreditGroupTotals>[] {
  return scopesOf(credit.partnerTenantId).flatMap((scope) =>
    (Object.keys(CREDIT_GROUPS) as CreditGrouping[]).map((groupBy) => {
      const index = analyticsKeys.credits(groupBy, scope);
      const group = CREDIT_GROUPS[groupBy](credit);
      return {
        index,
        entry: `${credit.invoiceMonth}|${group}`,
        counts: [analyticsKeys.groups(index), analyticsKeys.groups(index, credit.invoiceMonth)],
        empty: () => ({ invoiceMonth: credit.invoiceMonth, group, credits: 0, amounts: {} }),
        add: (g) => ({ ...g, credits: g.credits + 1, amounts: addMoney(g.amounts, credit) }),
      };
    }),
  );
}

/** The groups an event adds to. */
function groupChanges(event: RecordedEvent): GroupChange<unknown>[] {
  if (event.type === 'SoftwarePurchased') {
    const d = (event as RecordedOf<SoftwarePurchased>).data;
    return d.lines.flatMap((line) => purchaseChanges(d, line)) as GroupChange<unknown>[];
  }
  if (event.type === 'CreditIssued') return creditChanges((event as RecordedOf<CreditIssued>).data) as GroupChange<unknown>[];
  return isKeyAccessEvent(event.type) ? (accessChanges(event) as GroupChange<unknown>[]) : [];
}

/**
 * Adds to each group: the first time, with its entry in the index and one more group in each of
 * its counts. Each change sees the ones before it (a purchase's lines may share a group).
 */
function addToGroups(changes: readonly GroupChange<unknown>[], docs: ReadonlyMap<string, unknown>): ReadModelOp[] {
  const written = new Map<string, unknown>();
  const read = (key: string) => (written.has(key) ? written.get(key) : docs.get(key));
  const ops: ReadModelOp[] = [];
  const put = (key: string, value: unknown) => {
    written.set(key, value);
    ops.push({ op: 'put', key, value });
  };
  for (const change of changes) {
    const key = analyticsKeys.group(change.index, change.entry);
    const current = read(key);
    if (current === undefined) {
      ops.push({ op: 'index-add', index: change.index, entry: change.entry });
      for (const count of change.counts) put(count, ((read(count) as number | undefined) ?? 0) + 1);
    }
    put(key, change.add(current ?? change.empty()));
  }
  return ops;
}

/**
 * What analysts ask, kept as it is asked: purchases by SKU and market, key access per day and
 * credits by invoice month and partner, customer or family, each grouping with an index of its
 * groups in the answer's order and how many there are, so that a page is one range of the index
 * and the page's documents; and cancellations. Partner by partner, so that a partner's own admins
 * see only their share, and for all partners at once, which operators see.
 */
export const analyticsProjection: Projection = {
  name: 'analytics',
  eventTypes: new Set(['SoftwarePurchased', 'OrderCancelled', 'CreditIssued', ...KEY_ACCESS_EVENT_TYPES]),
  reads(event: RecordedEvent): string[] {
    const groups = keysOf(groupChanges(event));
    if (event.type === 'SoftwarePurchased') return [...groups, analyticsKeys.cancellations((event as RecordedOf<SoftwarePurchased>).data.partnerTenantId)];
    if (event.type === 'OrderCancelled') {
      const d = (event as RecordedOf<OrderCancelled>).data;
      return [analyticsKeys.order(d.orderId), analyticsKeys.cancellations(d.partnerTenantId)];
    }
    return groups;
  },
  apply(event, docs): ReadModelOp[] {
    const ops = addToGroups(groupChanges(event), docs);
    if (event.type === 'SoftwarePurchased') {
      const d = (event as RecordedOf<SoftwarePurchased>).data;
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
    return ops;
  },
};

/** The UTC day of an access, from the event's own instant (events write instants in UTC). */
function dayOf(event: RecordedEvent): string {
  return (keyAccessOf(event)?.at ?? event.metadata.occurredAt).slice(0, 10);
}
