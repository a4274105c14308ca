/**
 * npm run bench -- append-postgres
 *
 * The PostgreSQL store's appends (1, 10, 100 events per append; 1 and 16 concurrent writers, each
 * on its own stream with an expected revision) against, in the same run and on the same server:
 *  - raw: plain `pg` inserts of the same rows into the same schema (migrated the same way, trigger
 *    included), one autocommitted multi-row INSERT per append on a pool as large as the writers:
 *    one round trip and one commit per append, no stream row, no revision or idempotency check,
 *    nothing read back. The limit of what an append can cost on this server.
 * Each system has a database of its own (created here, dropped afterwards), the server's
 * defaults (synchronous_commit on: every acknowledged append is flushed), and the same number of
 * connections as writers. Each cell measures each system for BENCH_APPEND_SECONDS (default 4) in
 * two interleaved rounds. POSTGRES_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { type NewEvent } from '@csp/event-store';
import { openPostgresEventStore, type PostgresEventStore } from '@csp/event-store/postgres';
import { migrate } from '../libs/event-store/src/postgres/schema';
import { log, now, percentile, ratio, report, x, type BenchResult } from './lib/common';
import { sampleEvents } from './lib/events';

const SERVER = process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 4);
const WARMUP_MS = 200;
const ROUNDS = 2;
const SIZES = [1, 10, 100];
const WRITERS = [1, 16];

interface CellResult {
  readonly eventsPerSecond: number;
  readonly appends: number;
  readonly events: number;
  readonly seconds: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly errors?: number;
  readonly firstError?: string;
}

interface Slice {
  appends: number;
  seconds: number;
  latencies: number[];
  errors: number;
  firstError?: string;
}

type Writers = { stream: string; n: number }[];
const newWriters = (count: number): Writers => Array.from({ length: count }, () => ({ stream: randomUUID(), n: 0 }));

/** Runs one async loop per writer for `ms`; counts only appends that finished inside the window. */
async function slice(
  writers: Writers,
  perAppend: number,
  ms: number,
  append: (n: number, streamId: string, events: NewEvent[]) => Promise<void>,
): Promise<Slice> {
  let measuring = false;
  let stop = false;
  const result: Slice = { appends: 0, seconds: 0, latencies: [], errors: 0 };
  const loop = async (state: Writers[number]) => {
    while (!stop) {
      const events = sampleEvents(state.stream, perAppend, state.n * perAppend);
      const t0 = now();
      try {
        await append(state.n, `order-${state.stream}`, events);
        state.n++;
        if (measuring) {
          result.appends++;
          result.latencies.push(now() - t0);
        }
      } catch (error) {
        result.errors++;
        result.firstError ??= (error as Error).message;
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  };
  const loops = writers.map(loop);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const t0 = now();
  await new Promise((r) => setTimeout(r, ms));
  measuring = false;
  result.seconds = (now() - t0) / 1000;
  stop = true;
  await Promise.all(loops);
  return result;
}

function combine(slices: Slice[], perAppend: number): CellResult {
  const appends = slices.reduce((s, x) => s + x.appends, 0);
  const seconds = slices.reduce((s, x) => s + x.seconds, 0);
  const errors = slices.reduce((s, x) => s + x.errors, 0);
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    eventsPerSecond: (appends * perAppend) / seconds,
    appends,
    events: appends * perAppend,
    seconds,
    ...(latencies.length > 0 ? { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) } : {}),
    ...(errors > 0 ? { errors, firstError: slices.find((s) => s.firstError)?.firstError } : {}),
  };
}

/** A database of the benchmark's own on the server; `drop` ends what is still connected. */
async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `csp_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Our store: stream row lock, revision and idempotency checks, one transaction per append. */
async function ours(url: string, writerCount: number, perAppend: number) {
  const store: PostgresEventStore = await openPostgresEventStore({ connectionString: url, poolSize: writerCount });
  const writers = newWriters(writerCount);
  return {
    slice: (ms: number) =>
      slice(writers, perAppend, ms, async (n, streamId, events) => {
        await store.append(streamId, events, n === 0 ? 'no_stream' : BigInt(n * perAppend - 1));
      }),
    close: () => store.close(),
  };
}

/** Plain pg: the same rows into the same schema, one autocommitted INSERT per append. */
async function raw(url: string, writerCount: number, perAppend: number) {
  const pool = new Pool({ connectionString: url, max: writerCount });
  await migrate(pool);
  const writers = newWriters(writerCount);
  return {
    slice: (ms: number) =>
      slice(writers, perAppend, ms, async (n, streamId, events) => {
        await pool.query(
          `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
           SELECT $1, $2::bigint + e.n - 1, e.event_id, e.type, e.data::json, e.metadata::json
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(event_id, type, data, metadata, n)`,
          [
            streamId,
            n * perAppend,
            events.map((e) => e.eventId),
            events.map((e) => e.type),
            events.map((e) => JSON.stringify(e.data)),
            events.map((e) => JSON.stringify(e.metadata)),
          ],
        );
      }),
    close: () => pool.end(),
  };
}

async function serverVersion(): Promise<string> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; synchronous_commit: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS synchronous_commit",
    );
    return `PostgreSQL ${rows[0]!.version}, synchronous_commit ${rows[0]!.synchronous_commit}`;
  } finally {
    await client.end();
  }
}

async function main(): Promise<BenchResult> {
  const server = await serverVersion();
  const cells: { writers: number; perAppend: number; ours: CellResult; raw: CellResult }[] = [];
  for (const writers of WRITERS) {
    for (const perAppend of SIZES) {
      log(`append-postgres: ${writers} writer(s) × ${perAppend} event(s) per append`);
      const [oursDb, rawDb] = [await database(), await database()];
      try {
        const systems = { raw: await raw(rawDb.url, writers, perAppend), ours: await ours(oursDb.url, writers, perAppend) };
        const slices: Record<keyof typeof systems, Slice[]> = { raw: [], ours: [] };
        // Interleaved rounds, so that drift in the disk's flush latency falls on both alike.
        for (let round = 0; round < ROUNDS; round++) {
          for (const key of ['raw', 'ours'] as const) slices[key].push(await systems[key].slice((SECONDS * 1000) / ROUNDS));
        }
        for (const system of Object.values(systems)) await system.close();
        const [r, o] = [combine(slices.raw, perAppend), combine(slices.ours, perAppend)];
        log(`  raw ${Math.round(r.eventsPerSecond)} ev/s, ours ${Math.round(o.eventsPerSecond)} ev/s`);
        cells.push({ writers, perAppend, ours: o, raw: r });
      } finally {
        await oursDb.drop();
        await rawDb.drop();
      }
    }
  }
  return {
    name: 'append-postgres',
    description:
      `Appends of ~750-byte events to the PostgreSQL store (${server}), each writer on its own stream with an expected revision, as many connections as writers. ` +
      'raw = plain pg inserts of the same rows into the same schema (trigger included), one autocommitted multi-row INSERT per append: one round trip, no stream row, no checks. ' +
      `${SECONDS} s per system and cell in ${ROUNDS} interleaved rounds, a fresh database per system and cell.`,
    tables: [
      {
        title: 'Append throughput on PostgreSQL, ratio to raw pg inserts measured in the same run',
        columns: ['writers × events/append', 'ours/raw', 'ours ev/s', 'raw ev/s', 'ours p50 ms', 'ours p99 ms', 'raw p50 ms'],
        rows: cells.map((c) => [
          `${c.writers} × ${c.perAppend}`,
          x(ratio(c.ours.eventsPerSecond, c.raw.eventsPerSecond)),
          Math.round(c.ours.eventsPerSecond),
          Math.round(c.raw.eventsPerSecond),
          c.ours.p50Ms,
          c.ours.p99Ms,
          c.raw.p50Ms,
        ]),
      },
    ],
    data: { server, secondsPerCell: SECONDS, cells },
    notes: [
      ...cells.filter((c) => c.ours.errors).map((c) => `ours ${c.writers}×${c.perAppend}: ${c.ours.errors} failed appends, first: ${c.ours.firstError}`),
      ...cells.filter((c) => c.raw.errors).map((c) => `raw ${c.writers}×${c.perAppend}: ${c.raw.errors} failed appends, first: ${c.raw.firstError}`),
    ],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
