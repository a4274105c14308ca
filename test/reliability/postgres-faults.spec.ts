/**
 * Faults of a real PostgreSQL server under the product's processes (the postgres-split shape: two
 * APIs, two projectors, Redis): every connection the product holds to its database is terminated
 * (`pg_terminate_backend`, what a failover or an operator does) again and again under a burst of
 * purchases. No acknowledged purchase is lost, a command caught by it is answered 503
 * `store_unavailable` (never a 500), the processes recover by themselves, and the projectors resume
 * from their checkpoints with read models equal to a fresh rebuild from the store.
 */
import { isDeepStrictEqual } from 'node:util';
import { openPostgresEventStore } from '@csp/event-store/postgres';
import { PRODUCT_STREAMS } from '@csp/projections';
import { RedisReadModelStore } from '@csp/projections/redis';
import { terminateConnections } from '../../libs/event-store/src/postgres/testing/database';
import { REDIS_URL } from '../../libs/projections/src/testing/redis';
import { upcastingEventStore } from '../../libs/application/src/upcasting';
import { freshRebuildOf } from '../support/fresh-rebuild';
import { startPurchaseBurst, unrecorded } from '../support/purchase-burst';
import { shapeNamed, shapesFor, startShape, tearDownShapes } from '../support/shapes';

jest.setTimeout(180_000);
const faults = { injected: 0, eventsLost: 0 };
afterAll(() => console.log(`postgres reliability: ${faults.injected} faults injected, ${faults.eventsLost} acknowledged events lost`));

// Run only where the postgres-split shape's services (PostgreSQL, Redis) answer; one loud line otherwise.
const shapes = shapesFor('postgres faults').filter((shape) => shape.name === 'postgres-split');

(shapes.length > 0 ? describe : describe.skip)('PostgreSQL connections terminated under a write burst', () => {
  afterAll(tearDownShapes);

  it('loses no acknowledged purchase, answers 503 store_unavailable meanwhile, recovers, and read models equal a fresh rebuild', async () => {
    const deployment = await startShape(shapeNamed('postgres-split'));
    const database = new URL(deployment.eventStoreUrl!).pathname.slice(1);
    const burst = await startPurchaseBurst(deployment, { writers: 8, customer: 'Burst' });
    const { acknowledged, refusals } = burst;
    // Cut every connection again and again, until commands were caught by it (or 30 cuts).
    for (let cut = 0; cut < 30 && (cut < 5 || refusals.length === 0); cut++) {
      await new Promise((r) => setTimeout(r, 150));
      await terminateConnections(database);
      faults.injected++;
    }
    // Still writing after the last cut: the processes came back by themselves.
    const beforeLast = acknowledged.length;
    for (let i = 0; i < 200 && acknowledged.length < beforeLast + 20; i++) await new Promise((r) => setTimeout(r, 25));
    await burst.stop();

    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.filter((r) => r.status !== 503 || r.code !== 'store_unavailable')).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(beforeLast);

    // Every acknowledged purchase is in the store.
    const store = await openPostgresEventStore({ connectionString: deployment.eventStoreUrl!, readOnly: true });
    try {
      const lost = (await unrecorded(store, acknowledged)).length;
      faults.eventsLost += lost;
      expect(lost).toBe(0);

      // The projectors resume from their checkpoints: read models equal a fresh rebuild, nothing applied twice or skipped.
      const events = await upcastingEventStore(store).readAll({ maxCount: 1_000_000, filter: { streamPrefixes: PRODUCT_STREAMS } });
      const compare = await freshRebuildOf(events);
      const redis = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: deployment.redisPrefix! });
      try {
        // The projectors may still be catching up on the last purchases: wait until they have, then compare.
        let pairs = await compare(redis);
        for (let i = 0; i < 200 && pairs.some(([live, rebuilt]) => !isDeepStrictEqual(live, rebuilt)); i++) {
          await new Promise((r) => setTimeout(r, 100));
          pairs = await compare(redis);
        }
        for (const [live, rebuilt] of pairs) expect(live).toEqual(rebuilt);
      } finally {
        await redis.close();
      }
    } finally {
      await store.close();
    }
    expect(deployment.logs()).not.toMatch(/"level":"error"[^\n]*(Unhandled|uncaught)/i);
    await deployment.stop();
    console.log(
      `postgres connections terminated ${faults.injected} times under 8 writers: ${acknowledged.length} purchases acknowledged, ${refusals.length} answered 503 store_unavailable, 0 lost`,
    );
  });
});
