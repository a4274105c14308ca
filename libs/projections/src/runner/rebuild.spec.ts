import { softwareListProjection } from '@csp/orders';
import { createReadSide } from '../read-side';
import { MemoryReadModelStore } from '../stores/memory-store';
import type { ReadModelStore } from '../stores/port';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { appendAll, contoso, productHistory } from '../testing/product-history';
import { PROJECTIONS } from '../testing/product-projections';
import { redisForTests, testRedisStore } from '../testing/redis';
import { rebuildReadModel, type RebuildProgress } from './rebuild';
import { SoftwareListQueries } from '../../../orders/src/software-list/software-list.queries';

const { log, steps } = productHistory();
const clock = { now: () => new Date('2026-03-03T11:00:00.000Z') };

function rebuildWithoutDowntime(
  open: () => Promise<{ store: ReadModelStore; generationKeys: (generation: number) => Promise<number>; dispose: () => Promise<void> }>,
) {
  it('builds the next generation beside the live one, switches when caught up, drops the old one; queries never see a partial model', async () => {
    const { store, generationKeys, dispose } = await open();
    const eventStore = new InMemoryEventStore();
    const side = createReadSide({ eventStore, store, projections: PROJECTIONS });
    try {
      await appendAll(eventStore, log.slice(0, steps.secondCancel));
      await side.start();
      await side.waitFor(await eventStore.headPosition(), 5_000);
      const before = await new SoftwareListQueries(side.store, clock).softwareList(contoso.customerId);

      const progress: RebuildProgress[] = [];
      const answersDuring: Promise<unknown>[] = [];
      const result = await rebuildReadModel({
        eventStore,
        store,
        projection: softwareListProjection,
        streamPrefixes: ['order-', 'customers-', 'refundRequest-'],
        batchSize: 5,
        progressEveryMs: 0,
        // The grace that lets a query which read the old generation number finish reading it.
        dropAfterMs: 100,
        onProgress: (p) => {
          progress.push(p);
          if (!p.done) answersDuring.push(new SoftwareListQueries(side.store, clock).softwareList(contoso.customerId));
        },
      });
      // Every query made while the new generation was half built answered from the live one, whole.
      expect(answersDuring.length).toBeGreaterThan(3);
      for (const answer of await Promise.all(answersDuring)) expect(answer).toEqual(before);

      expect(result).toEqual(
        expect.objectContaining({ model: 'software-list', previousGeneration: 1, generation: 2, events: steps.secondCancel - 1, done: true }),
      );
      expect(progress.map((p) => p.events)).toEqual([...progress.map((p) => p.events)].sort((a, b) => a - b));
      expect(progress[progress.length - 1]).toEqual(expect.objectContaining({ done: true, events: result.events }));
      expect(result.eventsPerSecond).toBeGreaterThan(0);
      expect(await store.currentGeneration('software-list')).toBe(2);
      expect(await generationKeys(1)).toBe(0);
      expect(await new SoftwareListQueries(side.store, clock).softwareList(contoso.customerId)).toEqual(before);

      // The live runner moves to the new generation at its next batch: nothing lost, nothing twice.
      const rest = await appendAll(eventStore, log.slice(steps.secondCancel));
      expect(await side.waitFor(rest, 5_000)).toBe(true);
      const reference = new MemoryReadModelStore();
      for (const projection of PROJECTIONS.filter((p) => p.name === 'software-list')) {
        await rebuildReadModel({ eventStore, store: reference, projection, streamPrefixes: ['order-', 'customers-', 'refundRequest-'], dropAfterMs: 0 });
      }
      const { checkpoint: _live, ...live } = await store.dump({ model: 'software-list', generation: 2 });
      const { checkpoint: _fresh, ...fresh } = await reference.dump({ model: 'software-list', generation: 2 });
      expect(live).toEqual(fresh);
      expect(side.runners.find((r) => r.name === 'software-list')!.status().generation).toBe(2);
    } finally {
      await side.stop();
      await dispose();
    }
  });
}

describe('rebuild in memory', () => {
  rebuildWithoutDowntime(async () => {
    const store = new MemoryReadModelStore();
    return {
      store,
      generationKeys: async (generation) => Object.keys((await store.dump({ model: 'software-list', generation })).docs).length,
      dispose: () => store.close(),
    };
  });
});

if (redisForTests('rebuild on Redis')) {
  describe('rebuild on Redis', () => {
    rebuildWithoutDowntime(async () => {
      const { store, prefix, dispose } = testRedisStore('rebuild');
      return {
        store,
        generationKeys: async (generation) => (await store.redis.keys(`${prefix}rm:software-list:g${generation}:*`)).length,
        dispose: async () => {
          // The pointer key names the generation queries read.
          expect(await store.redis.get(`${prefix}rm:software-list:current`)).toBe('2');
          await dispose();
        },
      };
    });
  });
}
