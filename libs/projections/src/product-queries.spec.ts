import type { DomainError } from '@csp/domain';
import type { RecordedEvent } from '@csp/event-store';
import { applyBatch } from './runner/apply-batch';
import { MemoryReadModelStore } from './stores/memory-store';
import type { ReadModelStore } from './stores/port';
import { RedisReadModelStore } from './stores/redis-store';
import { contoso, fabrikam, firstKey, firstLink, ids, productHistory, T0, wingtip } from './testing/product-history';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from './testing/redis';
import { PROJECTIONS } from './testing/product-projections';
import { ActivityLogQueries } from '../../audit/src/activity-log/activity-log.queries';
import { CustomersQueries } from '../../customers/src/customers.queries';
import { CreditsQueries } from '../../credits/src/credits.queries';
import { OrderHistoryQueries } from '../../orders/src/order-history/order-history.queries';
import { SoftwareListQueries } from '../../orders/src/software-list/software-list.queries';

/** The contexts' queries over one store, as the routes ask them. */
function queriesOver(store: ReadModelStore, clock?: { now(): Date }) {
  const customers = new CustomersQueries(store);
  const software = new SoftwareListQueries(store, clock);
  const history = new OrderHistoryQueries(store);
  const activity = new ActivityLogQueries(store);
  return {
    customer: (customerId: string) => customers.customer(customerId),
    activityLog: (query: Parameters<ActivityLogQueries['activityLog']>[0]) => activity.activityLog(query),
    softwareList: (customerId: string, now?: Date) => software.softwareList(customerId, now),
    orderHistory: (customerId: string) => history.orderHistory(customerId),
  };
}
type Queries = ReturnType<typeof queriesOver>;

const { log, steps } = productHistory();

/** Projects `events` into `store` in batches of `batchSize`, as the runner would. */
async function projectInto(store: ReadModelStore, events: readonly RecordedEvent[], batchSize = 3): Promise<Queries> {
  for (const projection of PROJECTIONS) {
    let checkpoint: string | undefined;
    for (let i = 0; i < events.length; i += batchSize) {
      checkpoint = await applyBatch(projection, store, { model: projection.name, generation: 1 }, events.slice(i, i + batchSize), {
        expectedCheckpoint: checkpoint,
      });
    }
  }
  return queriesOver(store);
}
/** A memory store holding the read models of `events`, for queries other than `queriesOver`'s. */
async function storeAfter(events: readonly RecordedEvent[], batchSize?: number): Promise<MemoryReadModelStore> {
  const store = new MemoryReadModelStore();
  await projectInto(store, events, batchSize);
  return store;
}
const readModelsAfter = async (events: readonly RecordedEvent[]) => queriesOver(await storeAfter(events));
const instant = (iso: string) => new Date(iso);
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as DomainError,
  );

describe('customer', () => {
  it('answers a registered customer and nothing for an unknown id', async () => {
    const readModels = await readModelsAfter(log);
    expect(await readModels.customer(wingtip.customerId)).toEqual(
      expect.objectContaining({ tenantId: wingtip.tenantId, partnerTenantId: ids.partner, market: 'AU' }),
    );
    expect(await readModels.customer('cccccccc-0000-4000-8000-0000000000ff')).toBeUndefined();
  });

  it('answers every registered customer with its tenant', async () => {
    const readModels = await readModelsAfter(log);
    for (const customer of [contoso, fabrikam, wingtip]) {
      expect(await readModels.customer(customer.customerId)).toEqual(expect.objectContaining({ tenantId: customer.tenantId }));
    }
  });
});

describe('software list', () => {
  it('shows every line with its window computed at query time: 30 days just after a perpetual purchase, 7 for a subscription', async () => {
    const readModels = await readModelsAfter(log.slice(0, steps.firstCancel));
    const { items } = await readModels.softwareList(contoso.customerId, instant('2026-03-02T10:00:01.000Z'));
    expect(items.map((i) => [i.orderId, i.line, i.sku])).toEqual([
      [ids.order, 1, 'WS'],
      [ids.order, 2, 'SQL-SUB'],
      [ids.specialOrder, 1, 'ESU'],
      [ids.specialOrder, 2, 'SLES'],
    ]);
    expect(items[0]).toEqual(
      expect.objectContaining({
        purchasedAt: T0,
        status: 'active',
        keyAvailable: true,
        versions: ['2025', '2022'],
        quantity: 2,
        amount: 2000,
        currency: 'USD',
        taxInclusive: false,
      }),
    );
    expect(items[0]!.cancellation).toEqual({ eligible: true, daysRemaining: 30, deadline: '2026-04-01T10:00:00.000Z' });
    expect(items[1]!.cancellation).toEqual({ eligible: true, daysRemaining: 7, deadline: '2026-03-09T10:00:00.000Z' });
  });

  it('says why a line cannot be cancelled: support request, non-cancellable, window closed', async () => {
    const readModels = await readModelsAfter(log.slice(0, steps.firstCancel));
    const { items } = await readModels.softwareList(contoso.customerId, instant('2026-03-09T10:00:00.000Z'));
    expect(items.map((i) => [i.sku, i.cancellation.eligible, i.cancellation.daysRemaining, i.cancellation.reasonCode])).toEqual([
      ['WS', true, 23, undefined],
      // Day 7 ends exactly 168 h after the purchase.
      ['SQL-SUB', false, 0, 'cancellation_window_closed'],
      ['ESU', false, 0, 'refund_request_required'],
      ['SLES', false, 0, 'not_cancellable'],
    ]);
    expect(items[2]!.keyAvailable).toBe(true);
  });

  it('shows keys by fingerprint with their reveals, and links alive, expired or used up at query time', async () => {
    const readModels = await readModelsAfter(log.slice(0, steps.firstCancel));
    const [line] = (await readModels.softwareList(contoso.customerId, instant('2026-03-05T00:00:00.000Z'))).items;
    expect(line!.keys).toEqual([{ ...firstKey, status: 'active' }]);
    expect(line!.downloadLinks).toEqual([{ ...firstLink, downloadsRemaining: 49, status: 'active' }]);
    // Fourteen days after issue the link is dead, though no event says so.
    const later = (await readModels.softwareList(contoso.customerId, instant('2026-03-16T13:00:00.000Z'))).items[0]!;
    expect(later.downloadLinks[0]).toEqual(expect.objectContaining({ status: 'expired', downloadsRemaining: 0 }));
    const exhausted = (await readModels.softwareList(wingtip.customerId, instant('2026-03-05T00:00:00.000Z'))).items[0]!;
    expect(exhausted).toEqual(expect.objectContaining({ taxInclusive: true }));
    expect(exhausted.downloadLinks[0]).toEqual(expect.objectContaining({ downloads: 50, downloadsRemaining: 0, status: 'exhausted' }));
  });

  it('keeps a cancelled line in its place, with no key available and its keys and links revoked', async () => {
    const readModels = await readModelsAfter(log.slice(0, steps.secondCancel));
    const { items } = await readModels.softwareList(contoso.customerId, instant('2026-03-03T11:00:00.000Z'));
    expect(items.map((i) => [i.orderId, i.line, i.status, i.keyAvailable])).toEqual([
      [ids.order, 1, 'cancelled', false],
      [ids.order, 2, 'active', true],
      [ids.specialOrder, 1, 'active', true],
      [ids.specialOrder, 2, 'active', true],
    ]);
    expect(items[0]).toEqual(
      expect.objectContaining({
        cancelledAt: '2026-03-03T10:00:00.000Z',
        cancellation: expect.objectContaining({ eligible: false, reasonCode: 'line_cancelled' }),
      }),
    );
    expect(items[0]!.keys.map((k) => k.status)).toEqual(['revoked']);
    expect(items[0]!.downloadLinks.map((l) => [l.status, l.downloadsRemaining])).toEqual([['revoked', 0]]);
  });

  it('is empty for a customer without orders', async () => {
    const readModels = await readModelsAfter(log);
    expect(await readModels.softwareList('cccccccc-0000-4000-8000-0000000000ff', instant(T0))).toEqual({
      customerId: 'cccccccc-0000-4000-8000-0000000000ff',
      items: [],
    });
  });

  it('reads the clock it was given when the caller names no instant', async () => {
    const clocked = queriesOver(await storeAfter(log.slice(0, steps.firstCancel)), { now: () => instant('2026-03-31T10:00:00.000Z') });
    expect((await clocked.softwareList(contoso.customerId)).items[0]!.cancellation).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 1 }));
  });
});

describe('order history', () => {
  it('lists the customer’s orders by purchase with status, totals and events', async () => {
    const readModels = await readModelsAfter(log.slice(0, steps.secondCancel));
    const { orders } = await readModels.orderHistory(contoso.customerId);
    expect(orders.map((o) => [o.orderId, o.status, o.linesCount, o.totals])).toEqual([
      [ids.order, 'partially-cancelled', 2, [{ amount: 38500, currency: 'USD' }]],
      [ids.specialOrder, 'active', 2, [{ amount: 4000, currency: 'USD' }]],
    ]);
    expect((await (await readModelsAfter(log)).orderHistory(contoso.customerId)).orders[0]!.status).toBe('cancelled');
  });
});

describe('activity log (@csp/audit ActivityLogQueries, over the same read models)', () => {
  let readModels: ActivityLogQueries;
  beforeAll(async () => {
    readModels = new ActivityLogQueries(await storeAfter(log));
  });
  const all = { partnerTenantId: ids.partner, from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T23:59:59.999Z' };

  it('lists a partner’s accesses in a date range, in time order, with who and what', async () => {
    const page = await readModels.activityLog({ ...all, customerId: contoso.customerId });
    expect(page.items.map((e) => [e.kind, e.at, e.actor.sub ?? e.actor.ip])).toEqual([
      ['key-revealed', '2026-03-02T11:00:00.000Z', `agent@${ids.partner.slice(0, 8)}`],
      ['key-revealed', '2026-03-02T12:00:00.000Z', 'admin@contoso'],
      ['download-link-issued', '2026-03-02T13:00:00.000Z', `agent@${ids.partner.slice(0, 8)}`],
      ['software-downloaded', '2026-03-02T14:00:00.000Z', '203.0.113.7'],
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('includes both bounds, to the millisecond', async () => {
    const page = await readModels.activityLog({ partnerTenantId: ids.partner, from: '2026-03-02T12:00:00.000Z', to: '2026-03-02T13:00:00.000Z' });
    expect(page.items.map((e) => e.at)).toEqual(['2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z']);
    const none = await readModels.activityLog({ partnerTenantId: ids.partner, from: '2026-03-02T12:00:00.001Z', to: '2026-03-02T12:59:59.999Z' });
    expect(none.items).toEqual([]);
  });

  it('never shows another partner’s entries, whatever customer or tenant is asked for', async () => {
    const mine = await readModels.activityLog({ ...all, limit: 1000 });
    expect(mine.items.every((e) => e.partnerTenantId === ids.partner)).toBe(true);
    expect(mine.items).toHaveLength(4 + 1 + 50);
    expect((await readModels.activityLog({ ...all, customerId: fabrikam.customerId })).items).toEqual([]);
    expect((await readModels.activityLog({ ...all, customerTenantId: fabrikam.tenantId })).items).toEqual([]);
    expect((await readModels.activityLog({ ...all, partnerTenantId: ids.otherPartner })).items.map((e) => e.keyFingerprint)).toEqual(['sha256:other']);
  });

  it('narrows to a customer tenant', async () => {
    const page = await readModels.activityLog({ ...all, customerTenantId: wingtip.tenantId, limit: 1000 });
    expect(page.items).toHaveLength(51);
    expect(page.items.every((e) => e.customerTenantId === wingtip.tenantId)).toBe(true);
  });

  it('pages with a cursor and a limit (default 100), without gaps or repeats', async () => {
    const everything = (await readModels.activityLog({ ...all, limit: 1000 })).items;
    expect((await readModels.activityLog(all)).items).toHaveLength(55);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readModels.activityLog({ ...all, limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.entryId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(55 / 7));
    expect(seen).toEqual(everything.map((e) => e.entryId));
  });

  it('refuses a cursor it did not make, and a limit outside 1..1000', async () => {
    expect(await refusal(readModels.activityLog({ ...all, cursor: 'abc' }))).toEqual(expect.objectContaining({ kind: 'invalid', code: 'invalid_cursor' }));
    expect(await refusal(readModels.activityLog({ ...all, limit: 0 }))).toEqual(expect.objectContaining({ kind: 'invalid', code: 'invalid_limit' }));
    expect(await refusal(readModels.activityLog({ ...all, limit: 1001 }))).toEqual(expect.objectContaining({ code: 'invalid_limit' }));
    expect(await refusal(readModels.activityLog({ ...all, from: 'last week' }))).toEqual(expect.objectContaining({ code: 'invalid_date' }));
  });

  it('reads a date alone as that whole day (UTC), as the API route and the audit CLI do, and refuses 30 February', async () => {
    const day = await readModels.activityLog({ partnerTenantId: ids.partner, from: '2026-03-02', to: '2026-03-02', limit: 1000 });
    expect(day).toEqual(
      await readModels.activityLog({ partnerTenantId: ids.partner, from: '2026-03-02T00:00:00.000Z', to: '2026-03-02T23:59:59.999Z', limit: 1000 }),
    );
    expect(day.items).toHaveLength(4 + 1 + 50);
    expect((await readModels.activityLog({ partnerTenantId: ids.partner, from: '2026-03-01', to: '2026-03-01' })).items).toEqual([]);
    expect(await refusal(readModels.activityLog({ ...all, to: '2026-02-30' }))).toEqual(
      expect.objectContaining({ code: 'invalid_date', details: expect.objectContaining({ field: 'to' }) }),
    );
  });

  it('answers nothing for an empty or reversed range', async () => {
    expect((await readModels.activityLog({ ...all, from: '2026-12-31T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' })).items).toEqual([]);
  });
});

describe('credits (@csp/credits CreditsQueries, over the same read models)', () => {
  let readModels: CreditsQueries;
  beforeAll(async () => {
    readModels = new CreditsQueries(await storeAfter(log));
  });

  it('lists a partner’s credits of an invoice month, with totals per currency', async () => {
    const april = await readModels.credits({ partnerTenantId: ids.partner, month: '2026-04' });
    expect(april.items.map((c) => [c.source.type, c.orderId, c.line, c.invoiceMonth])).toEqual(
      expect.arrayContaining([
        ['cancellation', ids.order, 1, '2026-04'],
        ['cancellation', ids.order, 2, '2026-04'],
      ]),
    );
    expect(april.items).toHaveLength(2);
    const full = april.items.find((c) => c.line === 1)!;
    expect(full.amount).toBe(2000);
    expect(april.totals).toEqual([{ amount: april.items.reduce((sum, c) => sum + c.amount, 0), currency: 'USD' }]);
  });

  it('adds approved refund requests to the month after approval, and nothing for rejected ones', async () => {
    const may = await readModels.credits({ month: '2026-05' });
    expect(may.items.map((c) => [c.source.type, c.amount, c.customerId])).toEqual([['refund-request', 500, contoso.customerId]]);
  });

  it('totals per currency over the whole selection, whatever the page', async () => {
    const everything = await readModels.credits();
    const usd = everything.items.filter((c) => c.currency === 'USD').reduce((sum, c) => sum + c.amount, 0);
    expect(everything.totals).toEqual([
      { amount: 900, currency: 'EUR' },
      { amount: usd, currency: 'USD' },
    ]);
    expect((await readModels.credits({ limit: 1 })).totals).toEqual(everything.totals);
    expect((await readModels.credits({ partnerTenantId: ids.partner, month: '2026-04', limit: 1 })).totals).toEqual([{ amount: usd - 500, currency: 'USD' }]);
    expect((await readModels.credits({ customerId: fabrikam.customerId })).totals).toEqual([{ amount: 900, currency: 'EUR' }]);
  });

  it('filters by customer, and keeps a partner filter even then', async () => {
    expect((await readModels.credits({ customerId: fabrikam.customerId })).items).toHaveLength(1);
    expect((await readModels.credits({ customerId: fabrikam.customerId, partnerTenantId: ids.partner })).items).toEqual([]);
    expect((await readModels.credits({ partnerTenantId: ids.otherPartner, month: '2026-05' })).items).toEqual([]);
  });

  it('refuses a month that is not YYYY-MM', async () => {
    expect(await refusal(readModels.credits({ month: '2026-13' }))).toEqual(expect.objectContaining({ kind: 'invalid', code: 'invalid_month' }));
  });
});

describe('read models do not depend on batch boundaries', () => {
  it('one event per batch, three, or the whole log give the same documents', async () => {
    const dumps = async (batchSize: number) => {
      const store = await storeAfter(log, batchSize);
      return Promise.all(PROJECTIONS.map(async (p) => ({ ...(await store.dump({ model: p.name, generation: 1 })), checkpoint: undefined })));
    };
    const whole = await dumps(log.length);
    expect(await dumps(1)).toEqual(whole);
    expect(await dumps(3)).toEqual(whole);
  });
});

if (redisForTests('read-model queries')) {
  describe('on Redis', () => {
    const prefix = testPrefix('queries');
    let redis: RedisReadModelStore;
    beforeAll(() => {
      redis = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
    });
    afterAll(async () => {
      await deleteKeys(redis.redis, prefix);
      await redis.close();
    });

    it('the same events give the same documents and the same answers as in memory', async () => {
      const memory = new MemoryReadModelStore();
      const inMemory = await projectInto(memory, log, 10);
      const inRedis = await projectInto(redis, log, 10);
      const [creditsInMemory, creditsInRedis] = [new CreditsQueries(memory), new CreditsQueries(redis)];
      const [activityInMemory, activityInRedis] = [new ActivityLogQueries(memory), new ActivityLogQueries(redis)];
      for (const p of PROJECTIONS) expect(await redis.dump({ model: p.name, generation: 1 })).toEqual(await memory.dump({ model: p.name, generation: 1 }));
      const now = instant('2026-03-05T00:00:00.000Z');
      expect(await inRedis.softwareList(contoso.customerId, now)).toEqual(await inMemory.softwareList(contoso.customerId, now));
      const range = { partnerTenantId: ids.partner, from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z', limit: 5 };
      const first = await activityInRedis.activityLog(range);
      expect(first).toEqual(await activityInMemory.activityLog(range));
      expect(await activityInRedis.activityLog({ ...range, cursor: first.nextCursor })).toEqual(
        await activityInMemory.activityLog({ ...range, cursor: first.nextCursor }),
      );
      expect(await creditsInRedis.credits({ month: '2026-04' })).toEqual(await creditsInMemory.credits({ month: '2026-04' }));
      expect(await inRedis.orderHistory(contoso.customerId)).toEqual(await inMemory.orderHistory(contoso.customerId));
    });
  });
}
