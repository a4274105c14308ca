import { randomUUID } from 'node:crypto';
import { formatPosition } from '@csp/event-store';
import { CreditsQueries } from '../../credits/src/credits.queries';
import { createReadSide, type ReadSide } from './read-side';
import { MemoryReadModelStore } from './stores/memory-store';
import { RedisReadModelStore } from './stores/redis-store';
import { InMemoryEventStore } from './testing/in-memory-event-store';
import { PROJECTIONS } from './testing/product-projections';
import { appendAll, contoso, ids, productHistory } from './testing/product-history';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from './testing/redis';
import { OrderHistoryQueries } from '../../orders/src/order-history/order-history.queries';
import { CustomersQueries } from '@csp/customers';
import { SoftwareListQueries } from '../../orders/src/software-list/software-list.queries';

const { log, steps } = productHistory();
const clock = { now: () => new Date('2026-03-03T11:00:00.000Z') };
const sides: ReadSide[] = [];
const open = (...args: Parameters<typeof createReadSide>) => {
  const side = createReadSide(...args);
  sides.push(side);
  return side;
};
const redisStores: RedisReadModelStore[] = [];
const redisStore = (keyPrefix: string) => {
  const store = new RedisReadModelStore({ url: REDIS_URL, keyPrefix });
  redisStores.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(sides.splice(0).map((s) => s.stop()));
  await Promise.all(redisStores.splice(0).map((s) => s.close()));
});

describe('createReadSide, in memory (the embedded default)', () => {
  it('builds every read model from the event store at start, then follows new events: read-your-writes', async () => {
    const eventStore = new InMemoryEventStore();
    await appendAll(eventStore, log.slice(0, steps.firstCancel));
    const side = open({ eventStore, store: new MemoryReadModelStore(), projections: PROJECTIONS });
    await side.start();
    expect(await side.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    expect((await new SoftwareListQueries(side.store, clock).softwareList(contoso.customerId)).items[0]).toEqual(
      expect.objectContaining({ status: 'active', keyAvailable: true }),
    );

    const cancelled = await appendAll(eventStore, log.slice(steps.firstCancel, steps.secondCancel));
    expect(await side.waitFor(cancelled, 1_000)).toBe(true);
    expect((await new SoftwareListQueries(side.store, clock).softwareList(contoso.customerId)).items[0]).toEqual(
      expect.objectContaining({ status: 'cancelled', keyAvailable: false }),
    );
    expect((await new OrderHistoryQueries(side.store).orderHistory(contoso.customerId)).orders[0]!.status).toBe('partially-cancelled');
    expect((await new CreditsQueries(side.store).credits({ month: '2026-04' })).items.length).toBeGreaterThan(0);

    const lag = await side.lag();
    expect(lag.map((l) => l.model)).toEqual(PROJECTIONS.map((p) => p.name));
    expect(lag.every((l) => l.state === 'running' && l.caughtUp && l.lagEvents === 0 && l.head === formatPosition(cancelled))).toBe(true);
  });

  it('keeps the other read models going when one stops on a poison event', async () => {
    const eventStore = new InMemoryEventStore();
    const purchase = log.find((e) => e.type === 'SoftwarePurchased')!;
    // A damaged purchase: the software list and order history cannot place it; the others do not read it.
    await eventStore.append(
      purchase.streamId,
      [
        {
          eventId: randomUUID(),
          type: 'SoftwarePurchased',
          data: { ...(purchase.data as object), purchasedAt: 'not an instant' },
          metadata: purchase.metadata,
        },
      ],
      'any',
    );
    const registered = await appendAll(
      eventStore,
      log.filter((e) => e.type === 'CustomerRegistered'),
    );
    const side = open({ eventStore, store: new MemoryReadModelStore(), projections: PROJECTIONS });
    await side.start();
    expect(await side.waitFor(registered, 500)).toBe(false);
    const states = Object.fromEntries((await side.lag()).map((l) => [l.model, l.state]));
    expect(states).toEqual({
      customers: 'running',
      'software-list': 'failed',
      'order-history': 'failed',
      'activity-log': 'running',
      credits: 'running',
      analytics: 'running',
    });
    expect(await new CustomersQueries(side.store).customer(contoso.customerId)).toBeDefined();
  });

  it('refuses a memory read side that would not project, since nothing else can fill it', () => {
    expect(() => createReadSide({ eventStore: new InMemoryEventStore(), store: new MemoryReadModelStore(), projections: PROJECTIONS, project: false })).toThrow(
      /would stay empty/,
    );
  });

  it('leaves a store it was given open for its owner to close', async () => {
    const store = new MemoryReadModelStore();
    const closed = jest.spyOn(store, 'close');
    const side = createReadSide({ eventStore: new InMemoryEventStore(), store, projections: PROJECTIONS });
    await side.start();
    await side.stop();
    expect(closed).not.toHaveBeenCalled();
  });
});

if (redisForTests('read side on Redis')) {
  describe('createReadSide, on Redis', () => {
    const prefix = testPrefix('read-side');
    afterAll(async () => {
      const cleaner = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
      await deleteKeys(cleaner.redis, prefix);
      await cleaner.close();
    });

    it('a projecting process and a query-only process share the read models; the query-only one waits for positions too', async () => {
      const eventStore = new InMemoryEventStore();
      await appendAll(eventStore, log.slice(0, steps.firstCancel));
      const projector = open({ eventStore, store: redisStore(prefix), projections: PROJECTIONS, leaseOwner: 'projector-1' });
      const api = open({ eventStore, store: redisStore(prefix), projections: PROJECTIONS, project: false });
      await projector.start();
      await api.start();
      expect(api.runners).toEqual([]);
      expect(await api.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
      expect((await new SoftwareListQueries(api.store, clock).softwareList(contoso.customerId)).items).toHaveLength(4);

      const cancelled = await appendAll(eventStore, log.slice(steps.firstCancel));
      expect(await api.waitFor(cancelled, 5_000)).toBe(true);
      expect((await new OrderHistoryQueries(api.store).orderHistory(contoso.customerId)).orders[0]!.status).toBe('cancelled');
      expect((await new CreditsQueries(api.store).credits({ partnerTenantId: ids.partner, month: '2026-05' })).items).toHaveLength(1);
      const lag = await api.lag();
      expect(lag.every((l) => l.caughtUp && l.checkpoint === formatPosition(cancelled))).toBe(true);
    });
  });
}
