/**
 * Rebuild speed of every read model, 100,000 generated events, into memory and into Redis, read
 * from the in-memory event store (projection + store cost alone) and from the embedded SQLite
 * store (what `npm run projections:rebuild` does). Prints a Markdown table for the README.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 node -r @swc-node/register libs/projections/bench/rebuild-speed.ts [events]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { PRODUCT_STREAMS, rebuildReadModel, type ReadModelStore } from '../src';
import { MemoryReadModelStore } from '../src/stores/memory-store';
import { RedisReadModelStore } from '../src/stores/redis-store';
import { generatedHistory } from '../src/testing/generated-history';
import { InMemoryEventStore } from '../src/testing/in-memory-event-store';
import { PROJECTIONS } from '../src/testing/product-projections';
import { appendAll } from '../src/testing/product-history';
import { deleteKeys, testPrefix } from '../src/testing/redis';

async function measure(eventStore: EventStore, store: ReadModelStore): Promise<Map<string, number>> {
  const rates = new Map<string, number>();
  let events = 0;
  let seconds = 0;
  for (const projection of PROJECTIONS) {
    const result = await rebuildReadModel({ eventStore, store, projection, streamPrefixes: PRODUCT_STREAMS, dropAfterMs: 0 });
    rates.set(projection.name, result.eventsPerSecond);
    events += result.events;
    seconds += result.seconds;
  }
  rates.set('all five, one after another', events / seconds);
  return rates;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const history = generatedHistory({ events: count });
  const inMemory = new InMemoryEventStore();
  await appendAll(inMemory, history);
  const dir = mkdtempSync(join(tmpdir(), 'csp-rebuild-bench-'));
  const sqlite = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  await appendAll(sqlite, history);
  process.stderr.write(`${history.length} events generated and stored\n`);

  const columns: [string, Map<string, number>][] = [];
  for (const [sourceName, source] of [
    ['in-memory log', inMemory],
    ['SQLite log', sqlite],
  ] as const) {
    columns.push([`${sourceName} → memory`, await measure(source, new MemoryReadModelStore())]);
    const prefix = testPrefix('bench');
    const redis = new RedisReadModelStore({ url: redisUrl, keyPrefix: prefix });
    try {
      columns.push([`${sourceName} → Redis`, await measure(source, redis)]);
    } finally {
      await deleteKeys(redis.redis, prefix);
      await redis.close();
    }
  }
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });

  const rows = [...columns[0]![1].keys()];
  const out = [
    `| read model (${history.length.toLocaleString('en-US')} events) | ${columns.map(([name]) => name).join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
  ];
  for (const row of rows) out.push(`| ${row} | ${columns.map(([, rates]) => Math.round(rates.get(row)!).toLocaleString('en-US')).join(' | ')} |`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
