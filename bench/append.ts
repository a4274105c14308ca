/**
 * npm run bench -- append
 *
 * The embedded store's durable appends (1, 10, 100 events per append; 1 and 16 concurrent
 * writers, each on its own stream with an expected revision) against, in the same run:
 *  - raw: plain better-sqlite3 inserts of the same rows into the same schema with the same pragmas
 *    (WAL, synchronous FULL), in the transaction pattern our store ends up with: one transaction
 *    per append with one writer, one transaction holding the 16 writers' appends with 16 (what
 *    group commit does at best). No revision check, no savepoints, no promises: the limit.
 *  - Emmett: @event-driven-io/emmett-sqlite's getSQLiteEventStore appending the same events to the
 *    same streams with expected versions. It cannot take concurrent appends (see emmett() below),
 *    so 16 writers queue in front of one store.
 * Each cell measures each system for BENCH_APPEND_SECONDS (default 4) in two interleaved rounds,
 * on fresh database files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type NewEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { MIGRATIONS, PRAGMAS } from '../libs/event-store/src/sqlite/schema';
import { benchDep, depVersion, log, now, ratio, report, x, type BenchResult } from './lib/common';
import { sampleEvents } from './lib/events';
import { asyncSlice, combine, newWriters, throughPort, WARMUP_MS, type CellResult, type Slice } from './lib/append-slices';

const SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 4);
const ROUNDS = 2;
const SIZES = [1, 10, 100];
const WRITERS = [1, 16];

/** Our store: each writer awaits its append; concurrent appends share a transaction (group commit). */
function ours(dir: string, writerCount: number, perAppend: number) {
  return throughPort(openSqliteEventStore({ file: join(dir, `ours-${writerCount}-${perAppend}.sqlite`) }), writerCount, perAppend);
}

/** Plain better-sqlite3: the same rows, schema and pragmas; one transaction carries one append per writer. */
function raw(dir: string, writerCount: number, perAppend: number) {
  const db = new Database(join(dir, `raw-${writerCount}-${perAppend}.sqlite`));
  for (const pragma of PRAGMAS) db.pragma(pragma);
  for (const migration of MIGRATIONS) db.exec(migration);
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const writers = newWriters(writerCount);
  const commit = db.transaction((batches: { streamId: string; first: number; events: NewEvent[] }[]) => {
    const recordedAt = new Date().toISOString();
    for (const { streamId, first, events } of batches) {
      events.forEach((e, i) => insert.run(streamId, first + i, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), recordedAt));
    }
  });
  const once = () => {
    const batches = writers.map((s) => {
      const b = { streamId: `order-${s.stream}`, first: s.n * perAppend, events: sampleEvents(s.stream, perAppend, s.n * perAppend) };
      s.n++;
      return b;
    });
    commit.immediate(batches);
  };
  return {
    slice: async (ms: number): Promise<Slice> => {
      const warmEnd = now() + WARMUP_MS;
      while (now() < warmEnd) once();
      let transactions = 0;
      const t0 = now();
      const end = t0 + ms;
      while (now() < end) {
        once();
        transactions++;
      }
      return { appends: transactions * writerCount, seconds: (now() - t0) / 1000, latencies: [], errors: 0 };
    },
    close: async () => db.close(),
  };
}

/**
 * Emmett's SQLite store opens and closes its connection around every call and has no busy
 * handling: concurrent appends through one store close the connection under each other
 * ("Database is closed"), and through separate stores fail with SQLITE_BUSY / "cannot rollback".
 * So concurrent writers go through a queue in front of one store, as an application would have to.
 */
async function emmett(dir: string, writerCount: number, perAppend: number) {
  const { getSQLiteEventStore } = benchDep('@event-driven-io/emmett-sqlite');
  const fileName = join(dir, `emmett-${writerCount}-${perAppend}.sqlite`);
  const store = getSQLiteEventStore({ fileName });
  await quietly(() => store.readStream('warm-up'));
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn);
    queue = result.catch(() => undefined);
    return result;
  };
  const writers = newWriters(writerCount);
  return {
    slice: (ms: number) =>
      quietly(() =>
        asyncSlice(writers, perAppend, ms, (n, streamId, events) =>
          serialised(() =>
            store.appendToStream(
              streamId,
              events.map((e) => ({ type: e.type, data: e.data, metadata: { ...e.metadata, eventId: e.eventId } })),
              { expectedStreamVersion: BigInt(n * perAppend) },
            ),
          ),
        ),
      ),
    close: async () => undefined,
  };
}

/** Emmett console.logs every failed transaction; keep the table readable. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const original = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = original;
  }
}

async function main(): Promise<BenchResult> {
  // Fail before measuring anything if Emmett is missing.
  benchDep('@event-driven-io/emmett-sqlite');
  const dir = mkdtempSync(join(tmpdir(), 'csp-bench-append-'));
  const cells: { writers: number; perAppend: number; ours: CellResult; raw: CellResult; emmett: CellResult }[] = [];
  try {
    for (const writers of WRITERS) {
      for (const perAppend of SIZES) {
        log(`append: ${writers} writer(s) × ${perAppend} event(s) per append`);
        // Interleaved rounds, so that drift in the disk's fsync latency falls on every system alike.
        const systems = { raw: raw(dir, writers, perAppend), ours: ours(dir, writers, perAppend), emmett: await emmett(dir, writers, perAppend) };
        const slices: Record<keyof typeof systems, Slice[]> = { raw: [], ours: [], emmett: [] };
        for (let round = 0; round < ROUNDS; round++) {
          for (const key of ['raw', 'ours', 'emmett'] as const) slices[key].push(await systems[key].slice((SECONDS * 1000) / ROUNDS));
        }
        for (const system of Object.values(systems)) await system.close();
        const [r, o, e] = [combine(slices.raw, perAppend), combine(slices.ours, perAppend), combine(slices.emmett, perAppend)];
        log(
          `  raw ${Math.round(r.eventsPerSecond)} ev/s, ours ${Math.round(o.eventsPerSecond)} ev/s, emmett ${Math.round(e.eventsPerSecond)} ev/s${e.errors ? ` (${e.errors} errors)` : ''}`,
        );
        cells.push({ writers, perAppend, ours: o, raw: r, emmett: e });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rawSingle = (perAppend: number) => cells.find((c) => c.writers === 1 && c.perAppend === perAppend)!.raw.eventsPerSecond;
  return {
    name: 'append',
    description:
      'Durable appends (WAL, synchronous FULL) of ~750-byte events, each writer on its own stream with an expected revision. ' +
      'raw = plain better-sqlite3 inserts of the same rows, same schema and pragmas, one transaction per append with 1 writer and one per 16 appends with 16 writers (ideal group commit, no checks). ' +
      `emmett = @event-driven-io/emmett-sqlite ${depVersion('@event-driven-io/emmett-sqlite')} getSQLiteEventStore, same events and expected versions; it fails under concurrent appends, so 16 writers queue in front of one store. ` +
      `${SECONDS} s per system and cell in ${ROUNDS} interleaved rounds, fresh files.`,
    tables: [
      {
        title: 'Append throughput, ratios to the baselines measured in the same run',
        columns: [
          'writers × events/append',
          'ours/raw',
          'ours/emmett',
          'ours/raw 1 tx per append',
          'ours ev/s',
          'raw ev/s',
          'emmett ev/s',
          'ours p50 ms',
          'ours p99 ms',
          'emmett p50 ms',
        ],
        rows: cells.map((c) => [
          `${c.writers} × ${c.perAppend}`,
          x(ratio(c.ours.eventsPerSecond, c.raw.eventsPerSecond)),
          x(ratio(c.ours.eventsPerSecond, c.emmett.eventsPerSecond)) + (c.emmett.errors ? ` (emmett ${c.emmett.errors} errors)` : ''),
          x(ratio(c.ours.eventsPerSecond, rawSingle(c.perAppend))),
          Math.round(c.ours.eventsPerSecond),
          Math.round(c.raw.eventsPerSecond),
          Math.round(c.emmett.eventsPerSecond),
          c.ours.p50Ms,
          c.ours.p99Ms,
          c.emmett.p50Ms,
        ]),
      },
    ],
    data: {
      secondsPerCell: SECONDS,
      cells,
      packages: {
        '@event-driven-io/emmett-sqlite': depVersion('@event-driven-io/emmett-sqlite'),
        '@event-driven-io/emmett': depVersion('@event-driven-io/emmett'),
        sqlite3: depVersion('sqlite3'),
      },
    },
    notes: [
      '"ours/raw 1 tx per append" divides by raw with one writer (one fsync per append): what group commit buys with 16 writers.',
      ...cells
        .filter((c) => c.emmett.errors)
        .map((c) => `Emmett ${c.writers}×${c.perAppend}: ${c.emmett.errors} failed appends, first: ${c.emmett.firstError}`),
      ...cells.filter((c) => c.ours.errors).map((c) => `ours ${c.writers}×${c.perAppend}: ${c.ours.errors} failed appends, first: ${c.ours.firstError}`),
    ],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
