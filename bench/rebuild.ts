/**
 * npm run bench -- rebuild
 *
 * Rebuilds each read model from a generated history of ~1M events (cached under the temp
 * directory, see lib/history-cache.ts) with the product's rebuildReadModel, into a memory store
 * and into Redis (127.0.0.1:6379, REDIS_URL to change it; a unique key prefix, deleted after
 * each model), in events/s, against two limits measured in the same run:
 *  - the raw read: the same readAll loop (same page size and stream filter) with no projection;
 *  - raw pipelined Redis writes: as many SET / ZADD commands as the rebuild wrote to Redis, with
 *    values of the same average size, pipelined 1,000 at a time (one pipeline in flight, like the
 *    rebuild's one commit in flight; at most 400,000 of them: it is a rate).
 * BENCH_REBUILD_MODELS=a,b limits the models; BENCH_EVENTS changes the history size.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { START, type EventStore, type Position } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { PRODUCT_STREAMS, rebuildReadModel, type Namespace, type Projection, type ReadModelStore } from '@csp/projections';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { RedisReadModelStore } from '@csp/projections/redis';
import { PROJECTIONS } from '@csp/runtime/projections';
import { log, now, ratio, report, x, type BenchResult } from './lib/common';
import { cachedHistory } from './lib/history-cache';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PAGE = 1000;
const RAW_WRITES_MAX = 400_000;

/** The read limit: the rebuild's own read loop with nothing done to the events. */
export async function rawRead(store: EventStore): Promise<{ events: number; seconds: number; eventsPerSecond: number }> {
  const t0 = now();
  let after: Position = START;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE, filter: { streamPrefixes: PRODUCT_STREAMS } });
    if (page.length === 0) break;
    events += page.length;
    after = page[page.length - 1]!.position;
  }
  const seconds = (now() - t0) / 1000;
  return { events, seconds, eventsPerSecond: events / seconds };
}

interface WriteCounts {
  put: number;
  del: number;
  indexAdd: number;
  indexRemove: number;
  commits: number;
}

/** Counts what a store is asked to write (cheap: no serialisation inside the timed rebuild). */
function counting(store: ReadModelStore): WriteCounts {
  const counts: WriteCounts = { put: 0, del: 0, indexAdd: 0, indexRemove: 0, commits: 0 };
  const commit = store.commit.bind(store);
  store.commit = (ns, request) => {
    counts.commits++;
    for (const op of request.ops) {
      if (op.op === 'put') counts.put++;
      else if (op.op === 'del') counts.del++;
      else if (op.op === 'index-add') counts.indexAdd++;
      else counts.indexRemove++;
    }
    return commit(ns, request);
  };
  return counts;
}

async function scanKeys(redis: Redis, pattern: string, each: (keys: string[]) => Promise<void>): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) await each(keys);
  } while (cursor !== '0');
}

/** Average stored document size over a sample of the generation's documents. */
async function averageDocBytes(redis: Redis, prefix: string, ns: Namespace): Promise<number> {
  const sample: string[] = [];
  await scanKeys(redis, `${prefix}rm:${ns.model}:g${ns.generation}:d:*`, async (keys) => {
    if (sample.length < 2000) sample.push(...keys.slice(0, 2000 - sample.length));
  });
  if (sample.length === 0) return 0;
  const lengths = await Promise.all(sample.map((k) => redis.strlen(k)));
  return lengths.reduce((s, n) => s + n, 0) / lengths.length;
}

/** The Redis limit: the same number of SET and ZADD commands, pipelined, one pipeline in flight. */
async function rawRedisWrites(
  redis: Redis,
  prefix: string,
  counts: WriteCounts,
  docBytes: number,
): Promise<{ writes: number; seconds: number; writesPerSecond: number }> {
  const value = JSON.stringify({ v: 'x'.repeat(Math.max(0, Math.round(docBytes) - 8)) });
  const sets = counts.put + counts.del;
  const zadds = counts.indexAdd + counts.indexRemove;
  // A rate: beyond RAW_WRITES_MAX commands it would only lengthen the run.
  const total = Math.min(sets + zadds, RAW_WRITES_MAX);
  const t0 = now();
  let written = 0;
  while (written < total) {
    const pipeline = redis.pipeline();
    const end = Math.min(total, written + 1000);
    for (let i = written; i < end; i++) {
      // Interleave the two kinds in the rebuild's proportion.
      if ((i * zadds) % total < zadds && zadds > 0) pipeline.zadd(`${prefix}raw:i:${i % 1000}`, 0, `entry-${i}-2026-01-05T09:00:00.000Z`);
      else pipeline.set(`${prefix}raw:d:${i}`, value);
    }
    await pipeline.exec();
    written = end;
  }
  const seconds = (now() - t0) / 1000;
  return { writes: total, seconds, writesPerSecond: total / seconds };
}

async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  await scanKeys(redis, `${prefix}*`, async (keys) => {
    deleted += await redis.unlink(...keys);
  });
  return deleted;
}

interface ModelResult {
  model: string;
  memory?: { events: number; seconds: number; eventsPerSecond: number };
  redis?: { events: number; seconds: number; eventsPerSecond: number; counts: WriteCounts; writesPerSecond: number; docBytes: number };
  rawRedis?: { writes: number; seconds: number; writesPerSecond: number };
}

async function main(): Promise<BenchResult> {
  const history = await cachedHistory(EVENTS);
  const wanted = process.env.BENCH_REBUILD_MODELS?.split(',').filter(Boolean);
  const projections: Projection[] = PROJECTIONS.filter((p) => !wanted || wanted.includes(p.name));
  const eventStore = openSqliteEventStore({ file: history.file });
  const prefix = `csp-bench-${randomUUID()}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => undefined);
  const results: ModelResult[] = [];
  const reads: { events: number; seconds: number; eventsPerSecond: number }[] = [];
  try {
    await redis.connect().catch((error: unknown) => {
      throw new Error(`Redis at ${REDIS_URL} is needed for this benchmark: ${(error as Error).message}`);
    });
    log('raw read (first pass also warms the page cache)');
    reads.push(await rawRead(eventStore));
    reads.push(await rawRead(eventStore));
    log(`  ${reads.map((r) => `${Math.round(r.eventsPerSecond)} ev/s`).join(', ')}`);

    for (const projection of projections) {
      const result: ModelResult = { model: projection.name };
      results.push(result);
      log(`${projection.name}: memory`);
      const memory = new MemoryReadModelStore();
      const m = await rebuildReadModel({ eventStore, store: memory, projection, streamPrefixes: PRODUCT_STREAMS, batchSize: PAGE });
      result.memory = { events: m.events, seconds: m.seconds, eventsPerSecond: m.eventsPerSecond };
      await memory.close();
      log(`  ${Math.round(m.eventsPerSecond)} ev/s; Redis`);
      const store = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
      try {
        const counts = counting(store);
        const r = await rebuildReadModel({ eventStore, store, projection, streamPrefixes: PRODUCT_STREAMS, batchSize: PAGE });
        const writes = counts.put + counts.del + counts.indexAdd + counts.indexRemove;
        const docBytes = await averageDocBytes(redis, prefix, { model: projection.name, generation: r.generation });
        result.redis = { events: r.events, seconds: r.seconds, eventsPerSecond: r.eventsPerSecond, counts, writesPerSecond: writes / r.seconds, docBytes };
        await deletePrefix(redis, prefix);
        log(`  ${Math.round(r.eventsPerSecond)} ev/s, ${writes} writes of ~${Math.round(docBytes)} B; raw pipelined writes`);
        result.rawRedis = await rawRedisWrites(redis, prefix, counts, docBytes);
        await deletePrefix(redis, prefix);
        log(`  raw ${Math.round(result.rawRedis.writesPerSecond)} writes/s`);
      } finally {
        await store.close();
      }
    }
  } finally {
    await deletePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await eventStore.close();
  }
  const [cold, read] = [reads[0]!, reads[1]!];
  return {
    name: 'rebuild',
    description:
      `Projection rebuild (rebuildReadModel, pages of ${PAGE}) of a generated history of ${history.events.toLocaleString('en-US')} events (test/support/history.ts, cached in ${history.dir}), ` +
      'one read model at a time, into memory and into Redis (local). Baselines in the same run: the raw read (the same readAll loop with no projection, page cache warm) ' +
      'and raw pipelined Redis writes (the same number of SET/ZADD commands with values of the same average size, 1,000 per pipeline).',
    tables: [
      {
        title: 'Rebuild speed vs the raw read and raw Redis writes',
        columns: [
          'read model',
          'memory / raw read',
          'Redis / raw read',
          'Redis writes / raw pipelined writes',
          'memory ev/s',
          'Redis ev/s',
          'Redis writes',
          'Redis writes/s',
          'raw writes/s',
        ],
        rows: [
          ...results.map((r) => [
            r.model,
            x(ratio(r.memory?.eventsPerSecond ?? NaN, read.eventsPerSecond)),
            x(ratio(r.redis?.eventsPerSecond ?? NaN, read.eventsPerSecond)),
            x(ratio(r.redis?.writesPerSecond ?? NaN, r.rawRedis?.writesPerSecond ?? NaN)),
            Math.round(r.memory?.eventsPerSecond ?? NaN),
            Math.round(r.redis?.eventsPerSecond ?? NaN),
            r.redis ? r.redis.counts.put + r.redis.counts.del + r.redis.counts.indexAdd + r.redis.counts.indexRemove : NaN,
            Math.round(r.redis?.writesPerSecond ?? NaN),
            Math.round(r.rawRedis?.writesPerSecond ?? NaN),
          ]),
          ['(raw read, baseline)', x(1), x(1), '', Math.round(read.eventsPerSecond), '', '', '', ''],
        ],
      },
    ],
    data: { history: { ...history, sampleCustomers: undefined }, rawRead: { warm: read, firstPass: cold }, results, redis: REDIS_URL },
    notes: [
      `raw read of ${read.events.toLocaleString('en-US')} events: ${Math.round(read.eventsPerSecond).toLocaleString('en-US')} ev/s warm (${read.seconds.toFixed(1)} s), ${Math.round(cold.eventsPerSecond).toLocaleString('en-US')} ev/s on the first pass (${cold.seconds.toFixed(1)} s).`,
      `history generated once in ${history.generatedInSeconds.toFixed(0)} s (not part of this run unless it was the first).`,
    ],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
