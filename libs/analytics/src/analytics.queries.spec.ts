/**
 * The groupings analyticsProjection keeps answer byte-for-byte what computing them on each request
 * answered (testing/recomputed-analytics.ts, the answers as they were): one generated history
 * folded, batch by batch as the runner does, through both, and every question asked of both for
 * every scope (all partners, each one, one without any), grouping, filter and page.
 */
import { creditsProjection } from '@csp/credits';
import { formatPosition, type RecordedEvent } from '@csp/event-store';
import { applyBatch, type Projection, type ReadModelStore } from '@csp/projections';
import type { OpenedReadModelStore } from '../../projections/src/stores/contract';
import { memoryStoreForTests, sqliteStoreForTests } from '../../projections/src/testing/read-model-stores';
import { redisForTests, testRedisStore } from '../../projections/src/testing/redis';
import { analyticsProjection, type CreditGrouping, type PurchaseGrouping } from './analytics.projection';
import { AnalyticsQueries, type AnalyticsPage, type AnalyticsScope, type Paged } from './analytics.queries';
import { analyticsHistory } from './testing/analytics-history';
import { pageOf, RecomputedAnalytics, recomputedAnalyticsProjection } from './testing/recomputed-analytics';

jest.setTimeout(120_000);

const history = analyticsHistory();
const SCOPES: AnalyticsScope[] = [
  {},
  ...history.partners.map((partnerTenantId) => ({ partnerTenantId })),
  { partnerTenantId: 'ffffffff-0000-4000-8000-00000000000f' },
];
const PURCHASE_GROUPINGS: PurchaseGrouping[] = [['sku'], ['market'], ['sku', 'market'], ['market', 'sku']];
const CREDIT_GROUPINGS: CreditGrouping[] = ['partner', 'customer', 'family'];

/** Pages at both ends of a list of `total` rows and past it, narrow and wide. */
const ALL_PAGES = { offsets: (total: number) => [0, 1, 2, 5, total - 2, total - 1, total, total + 3], limits: [1, 2, 7, 100, 1000] };
/** Fewer, for the questions asked many times over. */
const SOME_PAGES = { offsets: (total: number) => [0, 1, total - 1, total], limits: [1, 7, 1000] };
const pagesOf = (total: number, { offsets, limits } = ALL_PAGES): AnalyticsPage[] =>
  [...new Set(offsets(total))].filter((offset) => offset >= 0).flatMap((offset) => limits.map((limit) => ({ offset, limit })));

async function fold(store: ReadModelStore, projections: readonly Projection[], events: readonly RecordedEvent[]): Promise<void> {
  for (const projection of projections) {
    let checkpoint: string | undefined;
    for (let i = 0; i < events.length; i += 64) {
      checkpoint = await applyBatch(projection, store, { model: projection.name, generation: 1 }, events.slice(i, i + 64), { expectedCheckpoint: checkpoint });
    }
    expect(checkpoint).toBe(formatPosition(events.at(-1)!.position));
  }
}

/** Days to range over: each day with key access, those either side, the months' and years' edges around them, and the far ends of the calendar. */
function interestingDays(events: readonly RecordedEvent[]): string[] {
  const days = new Set(['0001-01-01', '1990-06-15', '2150-01-01', '9999-12-31']);
  for (const event of events) {
    const at = (event.data as { revealedAt?: string; issuedAt?: string; downloadedAt?: string }) ?? {};
    const instant = at.revealedAt ?? at.issuedAt ?? at.downloadedAt;
    if (!instant) continue;
    const ms = Date.parse(instant.slice(0, 10));
    for (const d of [ms - 86_400_000, ms, ms + 86_400_000]) days.add(new Date(d).toISOString().slice(0, 10));
    days
      .add(`${instant.slice(0, 7)}-01`)
      .add(`${instant.slice(0, 7)}-31`)
      .add(`${instant.slice(0, 4)}-01-01`)
      .add(`${instant.slice(0, 4)}-12-31`);
  }
  return [...days].sort();
}

/** The ranges asked: every pair of a sample of those days, in order (the route refuses from after to). */
function rangesOf(days: readonly string[]): [string, string][] {
  const sample = days.filter((_, i) => i % Math.ceil(days.length / 20) === 0).concat(days.slice(-3));
  return sample.flatMap((from) => sample.filter((to) => to >= from).map((to): [string, string] => [from, to]));
}

function equivalence(name: string, open: () => Promise<OpenedReadModelStore>) {
  describe(`maintained analytics groupings answer as recomputed ones on ${name}`, () => {
    let store: ReadModelStore;
    let dispose: () => Promise<void>;
    let maintained: AnalyticsQueries;
    let recomputed: RecomputedAnalytics;

    beforeAll(async () => {
      ({ store, dispose } = await open());
      await fold(store, [creditsProjection, recomputedAnalyticsProjection, analyticsProjection], history.log);
      maintained = new AnalyticsQueries(store);
      recomputed = new RecomputedAnalytics(store);
    });
    afterAll(() => dispose());

    /** Asks both for every page of the recomputed list: the answers' JSON, not only their values (fields in the same order). */
    async function compare<Row>(asked: object, rows: Row[], answer: (page: AnalyticsPage) => Promise<Paged<Row>>, pages = ALL_PAGES): Promise<number> {
      const differences: object[] = [];
      for (const page of pagesOf(rows.length, pages)) {
        const expected = JSON.stringify(pageOf(rows, page));
        const actual = JSON.stringify(await answer(page));
        if (actual !== expected) differences.push({ asked, page, expected, actual });
      }
      expect(differences.slice(0, 3)).toEqual([]);
      return rows.length;
    }

    it('purchases, by every grouping, for every scope and page', async () => {
      const groups: number[] = [];
      for (const scope of SCOPES)
        for (const groupBy of PURCHASE_GROUPINGS) {
          const rows = await recomputed.purchases(scope, groupBy);
          groups.push(await compare({ scope, groupBy }, rows, (page) => maintained.purchases(scope, groupBy, page)));
        }
      // Not vacuous: every partner bought, in several markets.
      expect(Math.min(...groups.slice(0, -PURCHASE_GROUPINGS.length))).toBeGreaterThan(1);
      // The renamed family shows where its purchases come first in the answer's order, and only there.
      const bySku = await recomputed.purchases({}, ['sku', 'market']);
      expect(new Set(bySku.filter((g) => g.sku === 'WS').map((g) => g.family))).toEqual(new Set(['Windows Server', 'Windows Server (renamed)']));
    });

    it('credits, by every grouping, for every scope, invoice month (or none, or one without credits) and page', async () => {
      const months = [...new Set(history.log.filter((e) => e.type === 'CreditIssued').map((e) => (e.data as { invoiceMonth: string }).invoiceMonth))].sort();
      expect(months.length).toBeGreaterThan(12);
      for (const scope of SCOPES)
        for (const groupBy of CREDIT_GROUPINGS) {
          const all = await recomputed.credits(scope, groupBy);
          await compare({ scope, groupBy }, all, (page) => maintained.credits(scope, groupBy, undefined, page));
          for (const month of [...months, '2027-01'])
            await compare(
              { scope, groupBy, month },
              await recomputed.credits(scope, groupBy, month),
              (page) => maintained.credits(scope, groupBy, month, page),
              SOME_PAGES,
            );
        }
      // Not vacuous: credits without a customer and of refund requests, in two currencies.
      const byCustomer = JSON.stringify(await recomputed.credits({}, 'customer'));
      expect(byCustomer).toContain('"customerId":"(none)"');
      expect(byCustomer).toContain('"currency":"EUR"');
      expect(JSON.stringify(await recomputed.credits({}, 'family'))).toContain('"family":"(refund request)"');
    });

    it('key access per day, for every scope, over ranges within a month and across months, years, decades and centuries, and every page', async () => {
      const ranges = rangesOf(interestingDays(history.log));
      expect(ranges.length).toBeGreaterThan(200);
      let days = 0;
      for (const scope of SCOPES)
        for (const [from, to] of ranges) {
          const rows = await recomputed.keyAccessPerDay(scope, from, to);
          days = Math.max(days, await compare({ scope, from, to }, rows, (page) => maintained.keyAccessPerDay(scope, from, to, page), SOME_PAGES));
        }
      expect(days).toBeGreaterThan(300);
    });
  });
}

equivalence('memory', memoryStoreForTests);

equivalence('sqlite', sqliteStoreForTests);

if (redisForTests('analytics groupings')) equivalence('redis', async () => testRedisStore('analytics'));
