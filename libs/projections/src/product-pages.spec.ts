import { totalsByCurrency, type DomainError } from '@csp/domain';
import type { RecordedEvent } from '@csp/event-store';
import { creditsProjection } from '@csp/credits';
import { applyBatch } from './runner/apply-batch';
import { MemoryReadModelStore } from './stores/memory-store';
import type { ReadModelStore } from './stores/port';
import { fold } from './testing/fold';
import { redisForTests, testRedisStore } from './testing/redis';
import { testSqliteStore } from './testing/sqlite';
import { PROJECTIONS } from './testing/product-projections';
import { Scenario, type TestCustomer } from './testing/scenario';
import { CreditsQueries } from '../../credits/src/credits.queries';
import { OrderHistoryQueries } from '../../orders/src/order-history/order-history.queries';
import { SoftwareListQueries } from '../../orders/src/software-list/software-list.queries';

/*
 * The lists of the read models page alike (software list, order history, credits): a page holds
 * `limit` entries (100 by default), pages chain by cursor to the whole list in a stable order, with
 * neither a repeat nor a gap, also when entries are added between two pages; the credits' totals are
 * those of the whole selection on every page. On every store the product runs on.
 */

const partner = 'aaaaaaaa-0000-4000-8000-0000000000b1';
const otherPartner = 'aaaaaaaa-0000-4000-8000-0000000000b2';
const heavy: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-0000000000b1',
  tenantId: 'bbbbbbbb-0000-4000-8000-0000000000b1',
  partnerTenantId: partner,
  market: 'FR',
};
const light: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-0000000000b2',
  tenantId: 'bbbbbbbb-0000-4000-8000-0000000000b2',
  partnerTenantId: partner,
  market: 'FR',
};
const elsewhere: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-0000000000b3',
  tenantId: 'bbbbbbbb-0000-4000-8000-0000000000b3',
  partnerTenantId: otherPartner,
  market: 'DE',
};
const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const orderId = (n: number) => `dddddddd-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ORDERS = 110;
/** Order n's lines: two (perpetual and subscription) for odd n, one perpetual in euros every fifth, else one perpetual. */
const linesOf = (n: number): Record<string, number> => (n % 5 === 0 ? { 'WS-EUR': 1 } : n % 2 === 1 ? { WS: 1, 'SQL-SUB': 1 } : { WS: 2 });

/**
 * The heavy customer's orders, each an hour after the last, but two bought at the same instant
 * (their ids order them); the first twelve cancelled the next day (credits on the April invoice),
 * the others' first line a month later (May); a customer of the same partner and one of another.
 */
function history(): Scenario {
  const s = new Scenario();
  for (const customer of [heavy, light, elsewhere]) s.register({ ...customer, name: `Customer${customer.customerId.slice(-2)}` }, at(-24));
  for (let n = 1; n <= ORDERS; n++) s.purchase(orderId(n), heavy, linesOf(n), at(n === 8 ? 7 : n));
  s.purchase(orderId(1000), light, { WS: 1 }, at(3));
  s.purchase(orderId(1001), elsewhere, { 'WS-EUR': 1 }, at(3));
  for (let n = 1; n <= 12; n++) s.order({ type: 'CancelOrder', data: { orderId: orderId(n), reason: 'next day' } }, at(24 + n));
  for (let n = 13; n <= ORDERS; n++) s.order({ type: 'CancelOrder', data: { orderId: orderId(n), reason: 'a month later', lines: [1] } }, at(29 * 24 + n));
  s.order({ type: 'CancelOrder', data: { orderId: orderId(1000), reason: 'next day' } }, at(30));
  s.order({ type: 'CancelOrder', data: { orderId: orderId(1001), reason: 'next day' } }, at(30));
  return s;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as DomainError,
  );

interface OpenStore {
  readonly store: ReadModelStore;
  dispose(): Promise<void>;
}

const stores: [string, () => OpenStore][] = [
  [
    'memory',
    () => {
      const store = new MemoryReadModelStore();
      return { store, dispose: () => store.close() };
    },
  ],
  ['sqlite', testSqliteStore],
  ...(redisForTests('read-model pages') ? [['redis', () => testRedisStore('pages')] as [string, () => OpenStore]] : []),
];

/** Every page of a list, from the first, asking `limit` each time; `between` runs after each page but the last. */
async function chain<T>(
  read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
  between: (page: number) => Promise<void> = async () => undefined,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
    if (cursor !== undefined) await between(pages.length);
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
}

describe.each(stores)('pages of the read models on %s', (_name, open) => {
  let opened: OpenStore;
  let store: ReadModelStore;
  let scenario: Scenario;
  const checkpoints = new Map<string, string | undefined>();
  /** Projects what the scenario recorded since the last call, every read model, as the runner would. */
  const project = async (events: readonly RecordedEvent[]) => {
    for (const projection of PROJECTIONS) {
      const checkpoint = await applyBatch(projection, store, { model: projection.name, generation: 1 }, events, {
        expectedCheckpoint: checkpoints.get(projection.name),
      });
      checkpoints.set(projection.name, checkpoint);
    }
  };
  const now = new Date(at(24 * 40));
  const software = () => new SoftwareListQueries(store);
  const orders = () => new OrderHistoryQueries(store);
  const credits = () => new CreditsQueries(store);

  beforeAll(async () => {
    opened = open();
    store = opened.store;
    scenario = history();
    await project(scenario.log);
  });
  afterAll(() => opened.dispose());

  describe('the software list', () => {
    const lineIds = (items: { orderId: string; line: number }[]) => items.map((i) => `${i.orderId}#${i.line}`);

    it('holds 100 lines by default and chains pages of `limit` lines to the whole list, an order split across two pages', async () => {
      const whole = (await software().softwareList(heavy.customerId, now, { limit: 1000 })).items;
      const lines = Array.from({ length: ORDERS }, (_, i) => Object.keys(linesOf(i + 1)).length).reduce((a, b) => a + b, 0);
      expect(whole).toHaveLength(lines);
      expect(lines).toBeGreaterThan(100);
      expect((await software().softwareList(heavy.customerId, now)).items).toEqual(whole.slice(0, 100));
      for (const limit of [1, 2, 3, 7]) {
        const pages = await chain((cursor) => software().softwareList(heavy.customerId, now, { limit, ...(cursor ? { cursor } : {}) }));
        expect(pages.map((p) => p.length)).toEqual([...Array(Math.floor(lines / limit)).fill(limit), ...(lines % limit ? [lines % limit] : [])]);
        expect(lineIds(pages.flat())).toEqual(lineIds(whole));
      }
      expect((await software().softwareList(heavy.customerId, now, { limit: lines })).nextCursor).toBeUndefined();
    });

    it('orders by purchase instant, then order id, then line', async () => {
      const items = (await software().softwareList(heavy.customerId, now, { limit: 1000 })).items;
      const keys = items.map((i) => [i.purchasedAt, i.orderId, i.line] as const);
      expect([...keys].sort(([a, x, l], [b, y, m]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : l - m))).toEqual(keys);
      // Orders 7 and 8 were bought at the same instant.
      expect(items.filter((i) => i.purchasedAt === at(7)).map((i) => i.orderId)).toEqual([orderId(7), orderId(7), orderId(8)]);
    });

    it('neither repeats nor skips a line when orders are bought between two pages', async () => {
      const before = lineIds((await software().softwareList(heavy.customerId, now, { limit: 1000 })).items);
      let next = 2000;
      const pages = await chain(
        (cursor) => software().softwareList(heavy.customerId, now, { limit: 4, ...(cursor ? { cursor } : {}) }),
        async () => {
          const from = scenario.log.length;
          scenario.purchase(orderId(next++), heavy, { WS: 1, 'SQL-SUB': 1 }, at(1000 + next));
          await project(scenario.log.slice(from));
        },
      );
      const seen = lineIds(pages.flat());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, before.length)).toEqual(before);
      // The orders bought meanwhile come after every earlier one: all of them are on the pages that follow.
      const after = lineIds((await software().softwareList(heavy.customerId, now, { limit: 1000 })).items);
      expect(seen).toEqual(after);
      expect(after.length).toBeGreaterThan(before.length);
    });

    it('refuses a cursor that is not a position of the list, and a limit outside 1..1000', async () => {
      const time = '001772446400000';
      for (const cursor of ['abc', `${orderId(1)}|1`, `${time}|not-an-id|1`, `${time}|${orderId(1)}|0`, `${time}|${orderId(1)}|101`, `${time}|${orderId(1)}`]) {
        expect(await refusal(software().softwareList(heavy.customerId, now, { cursor }))).toEqual(
          expect.objectContaining({ kind: 'invalid', code: 'invalid_cursor' }),
        );
      }
      for (const limit of [0, 1001, 1.5]) {
        expect(await refusal(software().softwareList(heavy.customerId, now, { limit }))).toEqual(
          expect.objectContaining({ kind: 'invalid', code: 'invalid_limit' }),
        );
      }
    });
  });

  describe('the order history', () => {
    const orderIds = (page: { orderId: string }[]) => page.map((o) => o.orderId);

    it('chains pages of `limit` orders to the whole history, in purchase order then by id, 100 by default', async () => {
      const { orders: whole, nextCursor } = await orders().orderHistory(heavy.customerId, { limit: 1000 });
      expect(nextCursor).toBeUndefined();
      expect(whole.length).toBeGreaterThanOrEqual(ORDERS);
      expect(ORDERS).toBeGreaterThan(100);
      expect((await orders().orderHistory(heavy.customerId)).orders).toEqual(whole.slice(0, 100));
      const keys = whole.map((o) => `${o.purchasedAt}|${o.orderId}`);
      expect([...keys].sort()).toEqual(keys);
      for (const limit of [1, 4, 10]) {
        const pages = await chain(async (cursor) => {
          const page = await orders().orderHistory(heavy.customerId, { limit, ...(cursor ? { cursor } : {}) });
          return { items: page.orders, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
        });
        expect(pages.length).toBe(Math.ceil(whole.length / limit));
        expect(orderIds(pages.flat())).toEqual(orderIds(whole));
      }
    });

    it('neither repeats nor skips an order when orders are bought between two pages', async () => {
      const before = orderIds((await orders().orderHistory(heavy.customerId, { limit: 1000 })).orders);
      let next = 3000;
      const pages = await chain(
        async (cursor) => {
          const page = await orders().orderHistory(heavy.customerId, { limit: 6, ...(cursor ? { cursor } : {}) });
          return { items: page.orders, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
        },
        async () => {
          const from = scenario.log.length;
          scenario.purchase(orderId(next++), heavy, { WS: 1 }, at(3000 + next));
          await project(scenario.log.slice(from));
        },
      );
      const seen = orderIds(pages.flat());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, before.length)).toEqual(before);
      expect(seen).toEqual(orderIds((await orders().orderHistory(heavy.customerId, { limit: 1000 })).orders));
    });

    it('refuses a cursor of another list', async () => {
      const softwareCursor = (await software().softwareList(heavy.customerId, now, { limit: 1 })).nextCursor!;
      expect(await refusal(orders().orderHistory(heavy.customerId, { cursor: softwareCursor }))).toEqual(expect.objectContaining({ code: 'invalid_cursor' }));
    });
  });

  describe('the credits', () => {
    const creditIds = (items: { creditId: string }[]) => items.map((c) => c.creditId);
    const everyPage = async (query: Parameters<CreditsQueries['credits']>[0], limit: number) => {
      const totals: unknown[] = [];
      const pages = await chain(async (cursor) => {
        const page = await credits().credits({ ...query, limit, ...(cursor ? { cursor } : {}) });
        totals.push(page.totals);
        return page;
      });
      return { items: pages.flat(), pages: pages.length, totals };
    };

    it('chain by invoice month then credit id, 100 by default, every page with the totals of the whole selection', async () => {
      const everything = {};
      for (const query of [
        everything,
        { partnerTenantId: partner },
        { month: '2026-04' },
        { month: '2026-05', partnerTenantId: partner },
        { customerId: heavy.customerId },
      ]) {
        const whole = await credits().credits({ ...query, limit: 1000 });
        expect(whole.nextCursor).toBeUndefined();
        expect(whole.items.length).toBeGreaterThan(0);
        const keys = whole.items.map((c) => `${c.invoiceMonth}|${c.creditId}`);
        expect([...keys].sort()).toEqual(keys);
        expect(whole.totals).toEqual(totalsByCurrency(whole.items));
        expect((await credits().credits(query)).items).toEqual(whole.items.slice(0, 100));
        expect(whole.items.length > 100 || query !== everything).toBe(true);
        const paged = await everyPage(query, 3);
        expect(paged.pages).toBe(Math.ceil(whole.items.length / 3));
        expect(creditIds(paged.items)).toEqual(creditIds(whole.items));
        for (const totals of paged.totals) expect(totals).toEqual(whole.totals);
      }
    });

    it('total over two currencies and two invoice months', async () => {
      const all = await credits().credits({ customerId: heavy.customerId, limit: 2 });
      expect(all.totals.map((t) => t.currency)).toEqual(['EUR', 'USD']);
      const april = await credits().credits({ customerId: heavy.customerId, month: '2026-04', limit: 2 });
      const may = await credits().credits({ customerId: heavy.customerId, month: '2026-05', limit: 2 });
      expect(all.totals).toEqual(totalsByCurrency([...april.totals, ...may.totals]));
    });

    it("keep a partner's selection to its own partner, totals included", async () => {
      expect(await credits().credits({ customerId: elsewhere.customerId, partnerTenantId: partner })).toEqual({ items: [], totals: [] });
      expect((await credits().credits({ customerId: elsewhere.customerId, partnerTenantId: otherPartner })).items).toHaveLength(1);
      const mine = await credits().credits({ partnerTenantId: partner, limit: 1000 });
      expect(mine.items.every((c) => c.partnerTenantId === partner)).toBe(true);
      expect(mine.items.some((c) => c.customerId === light.customerId)).toBe(true);
    });

    it('neither repeat nor skip a credit when credits are issued between two pages, the totals following', async () => {
      const before = await credits().credits({ partnerTenantId: partner, limit: 1000 });
      const bought = scenario.log.length;
      for (let n = 4000; n < 4005; n++) scenario.purchase(orderId(n), light, { WS: 1 }, at(24 * 33 + n - 4000));
      await project(scenario.log.slice(bought));
      let next = 4000;
      const pages = await chain(
        (cursor) => credits().credits({ partnerTenantId: partner, limit: 5, ...(cursor ? { cursor } : {}) }),
        async () => {
          if (next >= 4005) return;
          const from = scenario.log.length;
          scenario.order({ type: 'CancelOrder', data: { orderId: orderId(next++), reason: 'between pages' } }, at(24 * 34));
          await project(scenario.log.slice(from));
        },
      );
      const seen = creditIds(pages.flat());
      expect(new Set(seen).size).toBe(seen.length);
      const after = await credits().credits({ partnerTenantId: partner, limit: 1000 });
      expect(seen).toEqual(creditIds(after.items));
      expect(after.items).toHaveLength(before.items.length + 5);
      expect(after.totals).toEqual(totalsByCurrency(after.items));
    });

    it('refuse a cursor that is not a credit position', async () => {
      for (const cursor of ['2026-04', `2026-13|${orderId(1)}:1`, `2026-04|${orderId(1)}:0`, `2026-04|nope:1`, `2026-04|${orderId(1)}|x`]) {
        expect(await refusal(credits().credits({ cursor }))).toEqual(expect.objectContaining({ kind: 'invalid', code: 'invalid_cursor' }));
      }
    });
  });
});

describe('the totals of the credits read model', () => {
  it('count a credit once, even when its event is read again', () => {
    const log = history().log;
    const credit = log.find((e) => e.type === 'CreditIssued')!;
    const once = fold(creditsProjection, log);
    expect([...once.docs.keys()].filter((key) => key.startsWith('totals:')).length).toBeGreaterThan(0);
    expect(fold(creditsProjection, [...log, { ...credit, eventId: 'eeeeeeee-0000-4000-8000-0000000000b9' }]).docs).toEqual(once.docs);
  });
});
