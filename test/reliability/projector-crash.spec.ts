/**
 * SIGKILL of a projector writing read models to Redis, mid-batch: after a restart the read models
 * equal a fresh rebuild from the event store — nothing applied twice, nothing skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { PRODUCT_STREAMS } from '@csp/projections';
import { PROJECTIONS } from '@csp/runtime/projections';
import { RedisReadModelStore } from '@csp/projections/redis';
import { freshRebuildOf } from '../support/fresh-rebuild';
import { generateHistory } from '../support/history';
import { REDIS_URL, redisAvailable, testPrefix } from '../../libs/projections/src/testing/redis';

jest.setTimeout(180_000);
const ROOT = resolve(__dirname, '../..');

function startProjector(file: string, prefix: string): ChildProcess {
  const script = `
    const { openSqliteEventStore } = require(${JSON.stringify(join(ROOT, 'dist/libs/event-store/src/sqlite'))});
    const { createReadSide } = require(${JSON.stringify(join(ROOT, 'dist/libs/projections/src'))});
    const { PROJECTIONS } = require(${JSON.stringify(join(ROOT, 'dist/libs/runtime/src/projections'))});
    const { RedisReadModelStore } = require(${JSON.stringify(join(ROOT, 'dist/libs/projections/src/stores/redis-store'))});
    const eventStore = openSqliteEventStore({ file: ${JSON.stringify(file)}, pollIntervalMs: 20 });
    const store = new RedisReadModelStore({ url: ${JSON.stringify(REDIS_URL)}, keyPrefix: ${JSON.stringify(prefix)} });
    const readSide = createReadSide({ eventStore, store, projections: PROJECTIONS, project: true, batchSize: 50 });
    readSide.start().then(() => process.stdout.write('started\\n'));
  `;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('projector crash (Redis read models)', () => {
  it('leaves read models equal to a fresh rebuild after SIGKILL mid-batch and restart', async () => {
    if (!(await redisAvailable())) return;
    if (!existsSync(join(ROOT, 'dist/libs/projections/src/index.js'))) throw new Error('run `npm run build` first (npm test does)');
    const file = join(mkdtempSync(join(tmpdir(), 'csp-crash-')), 'events.sqlite');
    const eventStore = openSqliteEventStore({ file });
    const history = await generateHistory(eventStore, { partners: 2, customersPerPartner: 10, ordersPerCustomer: 40 });
    const head = await eventStore.headPosition();
    const prefix = testPrefix('crash');
    const redis = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
    const checkpointOf = async (model: string) => Number((await redis.checkpoint({ model, generation: 1 })) ?? 0);

    try {
      // Kill it as soon as it is part-way through: some batches committed, others not.
      let killsMidway = 0;
      for (let round = 0; round < 3; round++) {
        const child = startProjector(file, prefix);
        const exited = new Promise((r) => child.once('exit', r));
        for (let i = 0; i < 500; i++) {
          const progress = await checkpointOf('activity-log');
          if (progress > (Number(head.commit) * (round + 1)) / 4) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        child.kill('SIGKILL');
        await exited;
        const progress = await checkpointOf('activity-log');
        if (progress > 0 && progress < Number(head.commit)) killsMidway++;
      }
      expect(killsMidway).toBeGreaterThan(0);

      const child = startProjector(file, prefix);
      for (let i = 0; i < 2000; i++) {
        const all = await Promise.all(PROJECTIONS.map((p) => checkpointOf(p.name)));
        if (all.every((c) => c === Number(head.commit))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');

      const compare = await freshRebuildOf(await eventStore.readAll({ maxCount: 1_000_000, filter: { streamPrefixes: PRODUCT_STREAMS } }));
      for (const [afterCrashes, rebuilt] of await compare(redis)) expect(afterCrashes).toEqual(rebuilt);
      console.log(`projector crash: ${history.events} events, 3 SIGKILLs (${killsMidway} mid-way), read models equal to a fresh rebuild`);
    } finally {
      const keys = await redis.redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.redis.del(...keys);
      await redis.close();
      await eventStore.close();
    }
  });
});
