import { addByCurrency, moneyList } from '@csp/domain';
import { creditIdOf, creditIndexes, type CreditView } from '@csp/credits';
import type { ReadModelStore } from '@csp/projections';
import { analyticsKeys, type AccessCounters, type CancellationCounters, type PurchaseCounters } from './analytics.projection';

/** Which partners a question covers: one (a partner's own admins) or all (analysts, back office). */
export interface AnalyticsScope {
  readonly partnerTenantId?: string;
}

/** What a group of credits is: one of the three, by what they are grouped by (a computed key would type it as any string). */
type CreditGroupField = { partnerTenantId?: string; customerId?: string; family?: string };

/** Answers for analysts, from the analytics and credits read models. */
export class AnalyticsQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /** Purchases grouped by SKU, market, or both. */
  async purchases(scope: AnalyticsScope, groupBy: readonly ('sku' | 'market')[]) {
    const ns = await this.ns('analytics');
    const entries = await this.store.entries(
      ns,
      analyticsKeys.purchasesIndex,
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

  /** Key reveals, link issues and downloads per UTC day, in [from, to] (YYYY-MM-DD, inclusive). */
  async keyAccessPerDay(scope: AnalyticsScope, from: string, to: string) {
    const ns = await this.ns('analytics');
    const days = new Map<string, { day: string; keyReveals: number; linkIssues: number; downloads: number }>();
    const keys = scope.partnerTenantId
      ? (await this.store.entries(ns, analyticsKeys.accessIndex(scope.partnerTenantId), { from, before: `${to}~` })).map((day) =>
          analyticsKeys.access(scope.partnerTenantId!, day),
        )
      : (await this.store.entries(ns, analyticsKeys.accessAllIndex, { from, before: `${to}~` })).map((e) => {
          const [day, partner] = e.split('|') as [string, string];
          return analyticsKeys.access(partner, day);
        });
    for (const doc of (await this.store.getMany(ns, keys)) as (AccessCounters | undefined)[]) {
      if (!doc) continue;
      const day = days.get(doc.day) ?? { day: doc.day, keyReveals: 0, linkIssues: 0, downloads: 0 };
      day.keyReveals += doc.keyReveals;
      day.linkIssues += doc.linkIssues;
      day.downloads += doc.downloads;
      days.set(doc.day, day);
    }
    return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  /** Share of orders cancelled, and the average time from purchase to cancellation, in days. */
  async cancellations(scope: AnalyticsScope) {
    const ns = await this.ns('analytics');
    const partners = scope.partnerTenantId ? [scope.partnerTenantId] : await this.store.entries(ns, analyticsKeys.cancellationsIndex);
    const docs = (await this.store.getMany(ns, partners.map(analyticsKeys.cancellations))) as (CancellationCounters | undefined)[];
    const total = { orders: 0, cancelledOrders: 0, totalDaysToCancel: 0 };
    for (const d of docs) {
      if (!d) continue;
      total.orders += d.orders;
      total.cancelledOrders += d.cancelledOrders;
      total.totalDaysToCancel += d.totalDaysToCancel;
    }
    return {
      orders: total.orders,
      cancelledOrders: total.cancelledOrders,
      cancellationRate: total.orders === 0 ? 0 : Math.round((total.cancelledOrders / total.orders) * 10_000) / 10_000,
      averageDaysToCancel: total.cancelledOrders === 0 ? null : Math.round((total.totalDaysToCancel / total.cancelledOrders) * 100) / 100,
    };
  }

  /** Credits of an invoice month (or all), grouped by partner, customer or product family. */
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
