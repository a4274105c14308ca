import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { RedisReadModelStore } from '@csp/projections/redis';
import { PROJECTIONS } from '@csp/runtime/projections';
import { generatedHistory } from '../../../../libs/projections/src/testing/generated-history';
import { InMemoryEventStore } from '../../../../libs/projections/src/testing/in-memory-event-store';
import { appendAll } from '../../../../libs/projections/src/testing/product-history';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from '../../../../libs/projections/src/testing/redis';
import { ProgressBar } from '../progress';
import { readModelsNamed, runRebuild } from './rebuild-command';

const ROOT = resolve(__dirname, '../../../..');

function capture(isTTY: boolean) {
  let text = '';
  return { output: { isTTY, write: (chunk: string) => (text += chunk) }, text: () => text };
}

describe('projections:rebuild', () => {
  it('names one read model or all of them, and nothing else', () => {
    expect(readModelsNamed('credits')!.map((p) => p.name)).toEqual(['credits']);
    expect(readModelsNamed('all')).toHaveLength(PROJECTIONS.length);
    expect(readModelsNamed('everything')).toBeUndefined();
    expect(readModelsNamed(undefined)).toBeUndefined();
  });

  it('rebuilds each read model, then says how fast it went', async () => {
    const eventStore = new InMemoryEventStore();
    const head = await appendAll(eventStore, generatedHistory({ events: 2_000 }));
    const store = new MemoryReadModelStore();
    const out = capture(false);
    const results = await runRebuild({
      eventStore,
      store,
      projections: readModelsNamed('all')!,
      output: out.output,
      totalEvents: Number(head.commit),
      dropAfterMs: 0,
    });
    expect(results.map((r) => [r.model, r.generation, r.events])).toEqual(readModelsNamed('all')!.map((p) => [p.name, 2, Number(head.commit)]));
    const lines = out.text().trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('rebuilt '))).toHaveLength(PROJECTIONS.length + 1);
    expect(lines[lines.length - 1]).toMatch(/^rebuilt 6 read models: [\d,]+ events in [\d.]+ s = [\d,]+ events\/s$/);
    expect(out.text()).not.toContain('\r');
  });

  it('draws a bar in place on a terminal, and plain lines every two seconds elsewhere', () => {
    const tty = capture(true);
    new ProgressBar(tty.output, 'rebuild credits', 200).update(50, 1234.4);
    expect(tty.text()).toBe(`\r\x1b[2Krebuild credits [########......................]  25.0% 50/200 events, 1,234 events/s`);

    let now = 0;
    const plain = capture(false);
    const bar = new ProgressBar(plain.output, 'rebuild credits', undefined, () => now);
    bar.update(10, 100);
    now = 1_000;
    bar.update(20, 100);
    now = 2_000;
    bar.update(30, 100);
    bar.done('rebuilt credits');
    expect(plain.text()).toBe('rebuild credits: 10 events, 100 events/s\nrebuild credits: 30 events, 100 events/s\nrebuilt credits\n');
  });

  if (redisForTests('projections:rebuild command')) {
    it('as a command: reads the SQLite store in DATA_DIR and rebuilds the Redis read models of REDIS_URL', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'csp-rebuild-'));
      const sqlite = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
      const head = await appendAll(sqlite, generatedHistory({ events: 1_500 }));
      await sqlite.close();
      const prefix = testPrefix('rebuild-cli');
      const redis = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
      try {
        const run = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'rebuild.ts'), 'credits'], {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: dataDir, REDIS_URL, REDIS_KEY_PREFIX: prefix },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(run.stderr).toMatch(/rebuilt credits: [\d,]+ events in [\d.]+ s = [\d,]+ events\/s \(generation 1 → 2\)/);
        expect(run.status).toBe(0);
        expect(await redis.currentGeneration('credits')).toBe(2);
        expect(await redis.checkpoint({ model: 'credits', generation: 2 })).toBe(head.commit.toString());

        const missing = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'rebuild.ts'), 'all'], {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: join(dataDir, 'nowhere'), REDIS_URL, REDIS_KEY_PREFIX: prefix },
          encoding: 'utf8',
        });
        expect(missing.status).toBe(1);
        expect(missing.stderr).toContain('No event store at');
        expect(await redis.currentGeneration('credits')).toBe(2);
      } finally {
        await deleteKeys(redis.redis, prefix);
        await redis.close();
      }
    });
  }
});
