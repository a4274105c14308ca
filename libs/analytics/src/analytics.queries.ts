import { moneyList, type Money } from '@csp/domain';
import type { EntryRange, Namespace, ReadModelStore } from '@csp/projections';
import {
  analyticsKeys,
  analyticsProjection,
  scopeOf,
  type AccessDayTotals,
  type CancellationCounters,
  type CreditGroupTotals,
  type CreditGrouping,
  type PurchaseGrouping,
  type PurchaseGroupTotals,
} from './analytics.projection';

/** Which partners a question covers: one (a partner's own admins) or all (analysts, back office). */
export interface AnalyticsScope {
  readonly partnerTenantId?: string;
}

/** Which rows of a list: `offset` from 0, `limit` rows. */
export interface AnalyticsPage {
  readonly offset: number;
  readonly limit: number;
}

/** A page of a list, and how many rows the whole list has. */
export interface Paged<Row> {
  readonly items: Row[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

/** Purchases of one group; the fields of what they are grouped by, and the SKU's family with the SKU. */
interface PurchaseGroup {
  sku?: string;
  family?: string;
  market?: string;
  lines: number;
  quantity: number;
  amounts: Money[];
}

/** What a group of credits is: one of the three, by what they are grouped by (a computed key would type it as any string). */
type CreditGroupField = { partnerTenantId?: string; customerId?: string; family?: string };

/** The field that names a credit group, by grouping. */
const CREDIT_GROUP_FIELD: Record<CreditGrouping, keyof CreditGroupField> = { partner: 'partnerTenantId', customer: 'customerId', family: 'family' };

/** Answers for analysts, from the analytics read model. */
export class AnalyticsQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(): Promise<Namespace> {
    const model = analyticsProjection.name;
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /**
   * A page of a grouping's groups in `range` of its index, as rows: one range read and the page's
   * documents. How many groups there are is the sum of the counts kept of them, and of `uncounted`.
   */
  private async page<Group, Row>(
    index: string,
    range: Pick<EntryRange, 'from' | 'before'>,
    { offset, limit }: AnalyticsPage,
    counts: readonly string[],
    row: (group: Group) => Row,
    uncounted: (ns: Namespace) => Promise<number> = async () => 0,
  ): Promise<Paged<Row>> {
    const ns = await this.ns();
    const [entries, besides] = await Promise.all([this.store.entries(ns, index, { ...range, offset, limit }), uncounted(ns)]);
    const docs = await this.store.getMany(ns, [...counts, ...entries.map((entry) => analyticsKeys.group(index, entry))]);
    const total = (docs.slice(0, counts.length) as (number | undefined)[]).reduce<number>((sum, n) => sum + (n ?? 0), besides);
    const groups = docs.slice(counts.length).filter((doc): doc is Group => doc !== undefined);
    return { items: groups.map(row), total, offset, limit };
  }

  /** Purchases grouped by SKU, market, or both, in the order of their fields' values. */
  async purchases(scope: AnalyticsScope, groupBy: PurchaseGrouping, page: AnalyticsPage): Promise<Paged<PurchaseGroup>> {
    const index = analyticsKeys.purchases(groupBy, scopeOf(scope.partnerTenantId));
    return this.page(index, {}, page, [analyticsKeys.groups(index)], (g: PurchaseGroupTotals) => ({
      ...(g.sku !== undefined ? { sku: g.sku, family: g.family } : {}),
      ...(g.market !== undefined ? { market: g.market } : {}),
      lines: g.lines,
      quantity: g.quantity,
      amounts: moneyList(g.amounts),
    }));
  }

  /** Key reveals, link issues and downloads per UTC day with any, in [from, to] (YYYY-MM-DD, inclusive). */
  async keyAccessPerDay(scope: AnalyticsScope, from: string, to: string, page: AnalyticsPage) {
    const index = analyticsKeys.access(scopeOf(scope.partnerTenantId));
    const days = daysOf(from, to);
    const read = async (ns: Namespace) => (await Promise.all(days.read.map((range) => this.store.entries(ns, index, range)))).reduce((n, e) => n + e.length, 0);
    return this.page(
      index,
      { from, before: `${to}~` },
      page,
      days.counted.map((part) => analyticsKeys.groups(index, part)),
      (d: AccessDayTotals) => ({ day: d.day, keyReveals: d.keyReveals, linkIssues: d.linkIssues, downloads: d.downloads }),
      read,
    );
  }

  /** Share of orders cancelled, and the average time from purchase to cancellation, in days. */
  async cancellations(scope: AnalyticsScope) {
    const ns = await this.ns();
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

  /** Credits of an invoice month (or all), grouped by partner, customer or product family, by month then group. */
  async credits(scope: AnalyticsScope, groupBy: CreditGrouping, month: string | undefined, page: AnalyticsPage) {
    const index = analyticsKeys.credits(groupBy, scopeOf(scope.partnerTenantId));
    // '|' sorts before every character of a group, '}' after: the month is a key range.
    const range = month ? { from: `${month}|`, before: `${month}}` } : {};
    const field = CREDIT_GROUP_FIELD[groupBy];
    return this.page(index, range, page, [analyticsKeys.groups(index, month ? month : '')], (g: CreditGroupTotals) => ({
      invoiceMonth: g.invoiceMonth,
      ...({ [field]: g.group } as CreditGroupField),
      credits: g.credits,
      amounts: moneyList(g.amounts),
    }));
  }
}

const pad = (n: number, digits: number) => String(n).padStart(digits, '0');
const monthNumber = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
const monthOf = (n: number) => `${pad(Math.floor(n / 12), 4)}-${pad((n % 12) + 1, 2)}`;
const numbers = (first: number, last: number) => Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);

/**
 * From months up: each level's units, how many make one of the next (the last: never), and the
 * name of a unit's count (the prefix of its days that analyticsProjection counts days under).
 */
const LEVELS: readonly { per: number; part: (n: number) => string }[] = [
  { per: 12, part: monthOf },
  { per: 10, part: (year) => pad(year, 4) },
  { per: 10, part: (decade) => pad(decade, 3) },
  { per: Infinity, part: (century) => pad(century, 2) },
];

/**
 * The days of [from, to] as the projection counts them: the ranges of days to read (those of the
 * months the range starts and ends in, 31 at most each) and the counts of the whole months,
 * years, decades and centuries between, the largest that fit, so that a count reads at most a
 * few dozen documents whatever the range.
 */
function daysOf(from: string, to: string): { read: Pick<EntryRange, 'from' | 'before'>[]; counted: string[] } {
  if (from.slice(0, 7) === to.slice(0, 7)) return { read: [{ from, before: `${to}~` }], counted: [] };
  const read = [
    { from, before: `${from.slice(0, 7)}~` },
    { from: to.slice(0, 7), before: `${to}~` },
  ];
  const counted: string[] = [];
  let [first, last] = [monthNumber(from) + 1, monthNumber(to) - 1];
  for (const { per, part } of LEVELS) {
    // The units of the next level that lie wholly inside [first, last]; the units either side are counted at this one.
    const [wholeFirst, wholeLast] = [Math.ceil(first / per), Math.floor((last + 1) / per) - 1];
    if (wholeFirst > wholeLast) {
      counted.push(...numbers(first, last).map(part));
      break;
    }
    counted.push(...numbers(first, wholeFirst * per - 1).map(part), ...numbers((wholeLast + 1) * per, last).map(part));
    [first, last] = [wholeFirst, wholeLast];
  }
  return { read, counted };
}
