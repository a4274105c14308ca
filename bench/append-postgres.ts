/**
 * npm run bench -- append-postgres
 *
 * The PostgreSQL store's appends (1, 10, 100 events per append; 1 and 16 concurrent writers, each
 * on its own stream with an expected revision) against, in the same run and on the same server:
 *  - raw: plain `pg` inserts of the same rows into the same schema (migrated the same way, trigger
 *    included), one autocommitted multi-row INSERT per append on a pool as large as the writers:
 *    one round trip and one commit per append, no stream row, no revision or idempotency check,
 *    nothing read back. The limit of what an append can cost on this server.
 *  - Emmett: @event-driven-io/emmett-postgresql's getPostgreSQLEventStore appending the same events
 *    to the same streams with expected versions, when installed (benchmark-only, git-ignored):
 *      npm install --prefix bench/.deps/emmett-postgresql @event-driven-io/emmett-postgresql@0.42.0 @event-driven-io/emmett@0.42.0
 *    (its own folder: the SQLite peer pins emmett 0.38.5). Without it the table has no Emmett column.
 * Each system has a database of its own (created here, dropped afterwards), the server's
 * defaults (synchronous_commit on: every acknowledged append is flushed), and the same number of
 * connections as writers (Emmett: the pg pool default, 10). Each cell measures each system for BENCH_APPEND_SECONDS (default 4) in
 * two interleaved rounds. POSTGRES_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { openPostgresEventStore } from '@csp/event-store/postgres';
import { migrate } from '../libs/event-store/src/postgres/schema';
import { log, now, ratio, report, ROOT, x, type BenchResult } from './lib/common';
import { benchDatabase, POSTGRES_SERVER } from './lib/postgres';
import { asyncSlice as slice, combine, newWriters, throughPort, type CellResult, type Slice } from './lib/append-slices';

const SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 4);
const ROUNDS = 2;
const SIZES = [1, 10, 100];
const WRITERS = [1, 16];

/** Our store: stream row lock, revision and idempotency checks, one transaction per append. */
async function ours(url: string, writerCount: number, perAppend: number) {
  return throughPort(await openPostgresEventStore({ connectionString: url, poolSize: writerCount }), writerCount, perAppend);
}

/** Plain pg: the same rows into the same schema, one autocommitted INSERT per append. */
async function raw(url: string, writerCount: number, perAppend: number) {
  const pool = new Pool({ connectionString: url, max: writerCount });
  // The cell's database is dropped WITH (FORCE) once measured; a client the server ends then is not a failure of the measure.
  pool.on('error', () => undefined);
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

const EMMETT_DIR = join(ROOT, 'bench/.deps/emmett-postgresql');
const emmettRequire = existsSync(join(EMMETT_DIR, 'node_modules/@event-driven-io/emmett-postgresql')) ? createRequire(join(EMMETT_DIR, 'bench.js')) : undefined;
const emmettVersion = () =>
  (JSON.parse(readFileSync(join(EMMETT_DIR, 'node_modules/@event-driven-io/emmett-postgresql/package.json'), 'utf8')) as { version: string }).version;

/** Emmett's PostgreSQL store: its own schema (migrated at first use), expected versions, its pool. */
async function emmett(url: string, writerCount: number, perAppend: number) {
  const { getPostgreSQLEventStore } = emmettRequire!('@event-driven-io/emmett-postgresql') as {
    getPostgreSQLEventStore(connectionString: string): {
      appendToStream(stream: string, events: unknown[], options: { expectedStreamVersion: bigint }): Promise<unknown>;
      close(): Promise<void>;
    };
  };
  const store = getPostgreSQLEventStore(url);
  const writers = newWriters(writerCount);
  return {
    slice: (ms: number) =>
      slice(writers, perAppend, ms, async (n, streamId, events) => {
        await store.appendToStream(
          streamId,
          events.map((e) => ({ type: e.type, data: e.data, metadata: { ...e.metadata, eventId: e.eventId } })),
          { expectedStreamVersion: BigInt(n * perAppend) },
        );
      }),
    close: () => store.close(),
  };
}

async function serverVersion(): Promise<string> {
  const client = new Client({ connectionString: POSTGRES_SERVER });
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
  if (!emmettRequire) log(`append-postgres: Emmett is not installed in ${EMMETT_DIR}: measuring without it (see this file's header)`);
  type System = 'raw' | 'ours' | 'emmett';
  const names: System[] = emmettRequire ? ['raw', 'ours', 'emmett'] : ['raw', 'ours'];
  const cells: { writers: number; perAppend: number; ours: CellResult; raw: CellResult; emmett?: CellResult }[] = [];
  for (const writers of WRITERS) {
    for (const perAppend of SIZES) {
      log(`append-postgres: ${writers} writer(s) × ${perAppend} event(s) per append`);
      const databases = await Promise.all(names.map(() => benchDatabase()));
      try {
        const open = { raw, ours, emmett };
        const systems = await Promise.all(names.map((name, i) => open[name](databases[i]!.url, writers, perAppend)));
        const slices: Slice[][] = names.map(() => []);
        // Interleaved rounds, so that drift in the disk's flush latency falls on every system alike.
        for (let round = 0; round < ROUNDS; round++) {
          for (const [i, system] of systems.entries()) slices[i]!.push(await system.slice((SECONDS * 1000) / ROUNDS));
        }
        for (const system of systems) await system.close();
        const results = slices.map((s) => combine(s, perAppend));
        log(`  ${names.map((name, i) => `${name} ${Math.round(results[i]!.eventsPerSecond)} ev/s`).join(', ')}`);
        cells.push({ writers, perAppend, raw: results[0]!, ours: results[1]!, ...(results[2] ? { emmett: results[2] } : {}) });
      } finally {
        for (const db of databases) await db.drop();
      }
    }
  }
  const withEmmett = emmettRequire !== undefined;
  return {
    name: 'append-postgres',
    description:
      `Appends of ~750-byte events to the PostgreSQL store (${server}), each writer on its own stream with an expected revision, as many connections as writers. ` +
      'raw = plain pg inserts of the same rows into the same schema (trigger included), one autocommitted multi-row INSERT per append: one round trip, no stream row, no checks. ' +
      (withEmmett
        ? `emmett = @event-driven-io/emmett-postgresql ${emmettVersion()} getPostgreSQLEventStore, same events and expected versions, its own schema, the pg pool's default of 10 connections. `
        : 'Emmett not installed. ') +
      `${SECONDS} s per system and cell in ${ROUNDS} interleaved rounds, a fresh database per system and cell.`,
    tables: [
      {
        title: 'Append throughput on PostgreSQL, ratio to raw pg inserts measured in the same run',
        columns: [
          'writers × events/append',
          'ours/raw',
          ...(withEmmett ? ['ours/emmett'] : []),
          'ours ev/s',
          'raw ev/s',
          ...(withEmmett ? ['emmett ev/s'] : []),
          'ours p50 ms',
          'ours p99 ms',
          'raw p50 ms',
          ...(withEmmett ? ['emmett p50 ms'] : []),
        ],
        rows: cells.map((c) => [
          `${c.writers} × ${c.perAppend}`,
          x(ratio(c.ours.eventsPerSecond, c.raw.eventsPerSecond)),
          ...(c.emmett ? [x(ratio(c.ours.eventsPerSecond, c.emmett.eventsPerSecond)) + (c.emmett.errors ? ` (emmett ${c.emmett.errors} errors)` : '')] : []),
          Math.round(c.ours.eventsPerSecond),
          Math.round(c.raw.eventsPerSecond),
          ...(c.emmett ? [Math.round(c.emmett.eventsPerSecond)] : []),
          c.ours.p50Ms,
          c.ours.p99Ms,
          c.raw.p50Ms,
          ...(c.emmett ? [c.emmett.p50Ms] : []),
        ]),
      },
    ],
    data: { server, secondsPerCell: SECONDS, cells, ...(withEmmett ? { packages: { '@event-driven-io/emmett-postgresql': emmettVersion() } } : {}) },
    notes: [
      ...cells.filter((c) => c.ours.errors).map((c) => `ours ${c.writers}×${c.perAppend}: ${c.ours.errors} failed appends, first: ${c.ours.firstError}`),
      ...cells.filter((c) => c.raw.errors).map((c) => `raw ${c.writers}×${c.perAppend}: ${c.raw.errors} failed appends, first: ${c.raw.firstError}`),
      ...cells
        .filter((c) => c.emmett?.errors)
        .map((c) => `emmett ${c.writers}×${c.perAppend}: ${c.emmett!.errors} failed appends, first: ${c.emmett!.firstError}`),
    ],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
