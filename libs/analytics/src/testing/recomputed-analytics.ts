/*
 * The analytics answers as they were computed before their groupings were kept by the projection:
 * on each request, every counter (or every credit) of the scope read and grouped, then a page cut
 * from the whole list. Kept, as it was, only as the oracle of analytics.queries.spec.ts: the
 * maintained groupings must answer byte-for-byte what this answers for the same history.
 */
import { isKeyAccessEvent, KEY_ACCESS_EVENT_TYPES, keyAccessOf, type KeyAccessKind } from '@csp/audit';
import { addByCurrency, moneyList } from '@csp/domain';
import { creditIdOf, creditIndexes, type CreditView } from '@csp/credits';
import type { SoftwarePurchased } from '@csp/orders';
import type { RecordedEvent } from '@csp/event-store';
import type { Projection, ReadModelOp, ReadModelStore, RecordedOf } from '@csp/projections';
import type { AnalyticsPage, AnalyticsScope, Paged } from '../analytics.queries';

interface PurchaseCounters {
  partnerTenantId: string;
  sku: string;
  family: string;
  market: string;
  lines: number;
  quantity: number;
  amounts: Record<string, number>;
}

interface AccessCounters {
  partnerTenantId: string;
  day: string;
  keyReveals: number;
  linkIssues: number;
  downloads: number;
}

const keys = {
  purchases: (partner: string, sku: string, market: string) => `purchases:${partner}|${sku}|${market}`,
  purchasesIndex: 'purchases',
  access: (partner: string, day: string) => `access:${partner}|${day}`,
  accessIndex: (partner: string) => `access:${partner}`,
  accessAllIndex: 'access-all',
};

const COUNTER: Record<KeyAccessKind, keyof Pick<AccessCounters, 'keyReveals' | 'linkIssues' | 'downloads'>> = {
  'key-revealed': 'keyReveals',
  'download-link-issued': 'linkIssues',
  'software-downloaded': 'downloads',
};

const dayOf = (event: RecordedEvent) => (keyAccessOf(event)?.at ?? event.metadata.occurredAt).slice(0, 10);

/** The counters the recomputed answers read: purchases per partner, SKU and market; key access per partner and day. */
export const recomputedAnalyticsProjection: Projection = {
  name: 'recomputed-analytics',
  eventTypes: new Set(['SoftwarePurchased', ...KEY_ACCESS_EVENT_TYPES]),
  reads(event) {
    if (event.type === 'SoftwarePurchased') {
      const d = (event as RecordedOf<SoftwarePurchased>).data;
      return d.lines.map((l) => keys.purchases(d.partnerTenantId, l.sku, d.market));
    }
    return isKeyAccessEvent(event.type) ? [keys.access(keyAccessOf(event)!.partnerTenantId, dayOf(event))] : [];
  },
  apply(event, docs) {
    if (event.type === 'SoftwarePurchased') {
      const d = (event as RecordedOf<SoftwarePurchased>).data;
      const ops: ReadModelOp[] = [];
      const counters = new Map<string, PurchaseCounters>();
      for (const line of d.lines) {
        const key = keys.purchases(d.partnerTenantId, line.sku, d.market);
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
        if (!docs.get(key)) ops.push({ op: 'index-add', index: keys.purchasesIndex, entry: key.slice('purchases:'.length) });
        ops.push({ op: 'put', key, value });
      }
      return ops;
    }
    const d = keyAccessOf(event);
    if (!d) return [];
    const field = COUNTER[d.kind];
    const day = dayOf(event);
    const key = keys.access(d.partnerTenantId, day);
    const current = (docs.get(key) as AccessCounters | undefined) ?? { partnerTenantId: d.partnerTenantId, day, keyReveals: 0, linkIssues: 0, downloads: 0 };
    const ops: ReadModelOp[] = [{ op: 'put', key, value: { ...current, [field]: current[field] + 1 } }];
    if (!docs.get(key)) {
      ops.push({ op: 'index-add', index: keys.accessIndex(d.partnerTenantId), entry: day });
      ops.push({ op: 'index-add', index: keys.accessAllIndex, entry: `${day}|${d.partnerTenantId}` });
    }
    return ops;
  },
};

type CreditGroupField = { partnerTenantId?: string; customerId?: string; family?: string };

/** The page the handler cut from a recomputed list. */
export const pageOf = <Row>(rows: Row[], { offset, limit }: AnalyticsPage): Paged<Row> => ({
  items: rows.slice(offset, offset + limit),
  total: rows.length,
  offset,
  limit,
});

/** The recomputed answers, over recomputedAnalyticsProjection's counters and the credits read model. */
export class RecomputedAnalytics {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  async purchases(scope: AnalyticsScope, groupBy: readonly ('sku' | 'market')[]) {
    const ns = await this.ns(recomputedAnalyticsProjection.name);
    const entries = await this.store.entries(
      ns,
      keys.purchasesIndex,
      scope.partnerTenantId ? { from: `${scope.partnerTenantId}|`, before: `${scope.partnerTenantId}}` } : {},
    );
    const docs = (await this.store.getMany(
      ns,
      entries.map((e) => `purchases:${e}`),
    )) as (PurchaseCounters | undefined)[];
    const groups = new Map<string, { sku?: string; family?: string; market?: string; lines: number; quantity: number; amounts: Map<string, number> }>();
    for (const doc of docs) {
      if (!doc) continue;
      const key = groupBy.map((g) => doc[g]).join('|');
      const group = groups.get(key) ?? {
        ...(groupBy.includes('sku') ? { sku: doc.sku, family: doc.family } : {}),
        ...(groupBy.includes('market') ? { market: doc.market } : {}),
        lines: 0,
        quantity: 0,
        amounts: new Map<string, number>(),
      };
      group.lines += doc.lines;
      group.quantity += doc.quantity;
      group.amounts = addByCurrency(moneyList(doc.amounts), group.amounts);
      groups.set(key, group);
    }
    return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => ({ ...g, amounts: moneyList(g.amounts) }));
  }

  async keyAccessPerDay(scope: AnalyticsScope, from: string, to: string) {
    const ns = await this.ns(recomputedAnalyticsProjection.name);
    const days = new Map<string, { day: string; keyReveals: number; linkIssues: number; downloads: number }>();
    const docKeys = scope.partnerTenantId
      ? (await this.store.entries(ns, keys.accessIndex(scope.partnerTenantId), { from, before: `${to}~` })).map((day) =>
          keys.access(scope.partnerTenantId!, day),
        )
      : (await this.store.entries(ns, keys.accessAllIndex, { from, before: `${to}~` })).map((e) => {
          const [day, partner] = e.split('|') as [string, string];
          return keys.access(partner, day);
        });
    for (const doc of (await this.store.getMany(ns, docKeys)) as (AccessCounters | undefined)[]) {
      if (!doc) continue;
      const day = days.get(doc.day) ?? { day: doc.day, keyReveals: 0, linkIssues: 0, downloads: 0 };
      day.keyReveals += doc.keyReveals;
      day.linkIssues += doc.linkIssues;
      day.downloads += doc.downloads;
      days.set(doc.day, day);
    }
    return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  async credits(scope: AnalyticsScope, groupBy: 'partner' | 'customer' | 'family', month?: string) {
    const ns = await this.ns('credits');
    const index = scope.partnerTenantId ? creditIndexes.partner(scope.partnerTenantId) : creditIndexes.all;
    const entries = await this.store.entries(ns, index, month ? { from: `${month}|`, before: `${month}}` } : {});
    const credits = (
      (await this.store.getMany(
        ns,
        entries.map((e) => `credit:${creditIdOf(e)}`),
      )) as (CreditView | undefined)[]
    ).filter((c): c is CreditView => c !== undefined);
    const field = (c: CreditView) =>
      groupBy === 'partner' ? c.partnerTenantId : groupBy === 'customer' ? (c.customerId ?? '(none)') : (c.family ?? '(refund request)');
    const groups = new Map<string, { invoiceMonth: string; key: string; credits: number; amounts: Map<string, number> }>();
    for (const c of credits) {
      const key = `${c.invoiceMonth}|${field(c)}`;
      const group = groups.get(key) ?? { invoiceMonth: c.invoiceMonth, key: field(c), credits: 0, amounts: new Map<string, number>() };
      group.credits++;
      group.amounts = addByCurrency([c], group.amounts);
      groups.set(key, group);
    }
    const name = groupBy === 'partner' ? 'partnerTenantId' : groupBy === 'customer' ? 'customerId' : 'family';
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, g]) => ({ invoiceMonth: g.invoiceMonth, ...({ [name]: g.key } as CreditGroupField), credits: g.credits, amounts: moneyList(g.amounts) }));
  }
}
