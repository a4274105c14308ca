import type { RecordedEvent } from '@csp/event-store';
import type { Projection } from '../projection';
import { projectionFingerprint } from '../projection-fingerprint';
import { createReadSide, PRODUCT_STREAMS } from '../read-side';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { appendAll, productHistory } from '../testing/product-history';
import { redisForTests, testRedisStore, type TestRedisStore } from '../testing/redis';

// A release that changes a projection, on Redis read models shared by the processes of both
// releases: the lease holder of the new release rebuilds the model beside the live one (queries
// keep reading the live one), switches once caught up, and records what built it; nothing to run
// by hand. Two versions of a counter make the change visible in the answer.

const { log } = productHistory();
const withRedis = redisForTests('rebuild after a projection change (Redis)');

/** Version `step` of a projection that counts the events it sees, `step` per event. */
function counter(step: 1 | 10): Projection {
  const apply = (event: RecordedEvent, docs: ReadonlyMap<string, unknown>) => [
    { op: 'put' as const, key: 'count', value: ((docs.get('count') as number | undefined) ?? 0) + step },
  ];
  // Each version's own code, as a release's would differ.
  const versions = {
    1: { apply: (event: RecordedEvent, docs: ReadonlyMap<string, unknown>) => apply(event, docs) },
    10: { apply: (event: RecordedEvent, docs: ReadonlyMap<string, unknown>) => apply(event, docs).map((op) => ({ ...op })) },
  };
  return { name: 'counter', eventTypes: new Set(log.map((e) => e.type)), reads: () => ['count'], apply: versions[step].apply };
}

(withRedis ? describe : describe.skip)('Redis read models after a projection changes', () => {
  let redis: TestRedisStore;
  beforeEach(() => {
    redis = testRedisStore('upgrade');
  });
  afterEach(async () => {
    await redis.dispose();
  });

  const run = async (eventStore: InMemoryEventStore, projection: Projection) => {
    const side = createReadSide({ eventStore, store: redis.store, projections: [projection], leaseOwner: 'this-process' });
    await side.start();
    await side.waitFor(await eventStore.headPosition(), 5_000);
    return side;
  };
  /** How many events of the log the read models follow (the product's streams). */
  const seen = (events: readonly RecordedEvent[]) => events.filter((e) => PRODUCT_STREAMS.some((p) => e.streamId.startsWith(p))).length;
  const count = async () => redis.store.get({ model: 'counter', generation: await redis.store.currentGeneration('counter') }, 'count');
  const until = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await done()); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('records the version that builds a new model, and rebuilds one another version built beside it, switching when caught up', async () => {
    const eventStore = new InMemoryEventStore();
    const half = Math.floor(log.length / 2);
    await appendAll(eventStore, log.slice(0, half));
    const first = await run(eventStore, counter(1));
    expect(await count()).toBe(seen(log.slice(0, half)));
    expect(await redis.store.builtBy!({ model: 'counter', generation: 1 })).toBe(projectionFingerprint(counter(1)));
    await first.stop();

    const next = await run(eventStore, counter(10));
    // Until the new generation has caught up, queries read the live one (kept up to date by the new code meanwhile).
    await appendAll(eventStore, log.slice(half));
    await until(async () => (await redis.store.currentGeneration('counter')) === 2 && (await count()) === seen(log) * 10);
    expect(await redis.store.currentGeneration('counter')).toBe(2);
    expect(await count()).toBe(seen(log) * 10);
    expect(await redis.store.builtBy!({ model: 'counter', generation: 2 })).toBe(projectionFingerprint(counter(10)));
    await next.stop();

    // The same release again: nothing to rebuild.
    const again = await run(eventStore, counter(10));
    await new Promise((r) => setTimeout(r, 200));
    expect(await redis.store.currentGeneration('counter')).toBe(2);
    expect(await count()).toBe(seen(log) * 10);
    await again.stop();
  });

  it('rebuilds a model built before versions were recorded (an install upgrading to this release)', async () => {
    const eventStore = new InMemoryEventStore();
    await appendAll(eventStore, log);
    const before = await run(eventStore, counter(1));
    await before.stop();
    await redis.store.redis.del(`${redis.prefix}rm:counter:g1:fp`);

    const next = await run(eventStore, counter(10));
    await until(async () => (await count()) === seen(log) * 10);
    expect(await count()).toBe(seen(log) * 10);
    expect(await redis.store.builtBy!({ model: 'counter', generation: await redis.store.currentGeneration('counter') })).toBe(
      projectionFingerprint(counter(10)),
    );
    await next.stop();
  });

  it('waits for the rebuilt generation when the new code cannot apply an event to what the old version built', async () => {
    const eventStore = new InMemoryEventStore();
    const half = Math.floor(log.length / 2);
    await appendAll(eventStore, log.slice(0, half));
    const before = await run(eventStore, counter(1));
    await before.stop();
    // The new version keeps { n } and refuses the old version's bare number.
    const reshaped: Projection = {
      ...counter(1),
      apply: (_event, docs) => {
        const doc = docs.get('count');
        if (typeof doc === 'number') throw new Error('a count of the old shape');
        return [{ op: 'put', key: 'count', value: { n: ((doc as { n: number } | undefined)?.n ?? 0) + 1 } }];
      },
    };
    const side = createReadSide({ eventStore, store: redis.store, projections: [reshaped], leaseOwner: 'this-process' });
    await side.start();
    await appendAll(eventStore, log.slice(half));
    await until(async () => ((await count()) as { n?: number } | undefined)?.n === seen(log));
    expect(await count()).toEqual({ n: seen(log) });
    expect(side.runners[0]!.status().state).toBe('running');
    await side.stop();
  });

  it('leaves the rebuild to the lease holder: a process on standby rebuilds nothing', async () => {
    const eventStore = new InMemoryEventStore();
    await appendAll(eventStore, log);
    const holder = await run(eventStore, counter(1));
    const standby = createReadSide({ eventStore, store: redis.store, projections: [counter(10)], leaseOwner: 'other-process' });
    await standby.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(await redis.store.currentGeneration('counter')).toBe(1);
    expect(await count()).toBe(seen(log));
    await standby.stop();
    await holder.stop();
  });
});
