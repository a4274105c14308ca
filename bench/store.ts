/**
 * npm run bench -- store
 *
 * Backups and copies at a partner's size: a generated history of BENCH_STORE_SIZES events (default
 * 100,000 and 1,000,000; cached between runs, see lib/history-cache.ts) in an embedded DATA_DIR,
 * with a keyring of 200 tenants.
 *  - backup, verify, restore: the compiled `npm run store` command (a process of its own, start-up
 *    included), against raw: better-sqlite3's `.backup()` of the same two files, default steps, no
 *    writer meanwhile — the SQLite copy alone, without the read transaction, the integrity check,
 *    the digest over every event, the archive and the syncs;
 *  - copy embedded → PostgreSQL: the store copy (in process, its phases timed: copying, then the
 *    digest of the target's history read back) into a fresh database, against raw: the same rows
 *    read from the SQLite file and inserted into the same schema one page of 1,000 per multi-row
 *    INSERT (one commit each), no stream row, no revision or idempotency check, nothing read back.
 * POSTGRES_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { loadConfig } from '@csp/config';
import type { JsonLogger } from '@csp/application';
import { TenantKeyring } from '@csp/security';
import { SqliteDataKeyStore } from '@csp/security/sqlite';
import { migrate } from '../libs/event-store/src/postgres/schema';
import { copyConfiguredStore } from '../libs/runtime/src/store/copy';
import { cachedHistory } from './lib/history-cache';
import { log, now, ratio, report, ROOT, x } from './lib/common';
import { benchDatabase } from './lib/postgres';

const SIZES = (process.env.BENCH_STORE_SIZES ?? '100000,1000000').split(',').map(Number);
const KEK = Buffer.alloc(32, 5).toString('base64');
const TENANTS = 200;
const PAGE = 1000;

const quiet = { info: () => undefined, warn: () => undefined } as unknown as JsonLogger;

/** The cached history in a DATA_DIR of the run's own, with a keyring as a live install has one. */
async function install(file: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-bench-store-'));
  copyFileSync(file, join(dataDir, 'events.sqlite'));
  const keyring = new TenantKeyring(new SqliteDataKeyStore(join(dataDir, 'keyring.sqlite')), [Buffer.from(KEK, 'base64')]);
  for (let i = 0; i < TENANTS; i++)
    await keyring.encrypt('ABCDE-FGHIJ-KLMNO-PQRST-UVWXY', { tenantId: randomUUID(), orderId: randomUUID(), keyId: randomUUID() });
  return dataDir;
}

/** The compiled command, timed from spawn to exit, with the time of each step it reports on stderr. */
function store(args: string[], dataDir: string): { seconds: number; steps: Record<string, number> } {
  const started = now();
  const run = spawnSync(process.execPath, ['dist/apps/cli/src/store/main.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: KEK, AUTH_JWT_SECRET: 'bench' },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`store ${args[0]} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const steps = Object.fromEntries([...run.stderr.matchAll(/^\w+: (.+) done in ([\d.]+) s$/gm)].map((m) => [m[1]!, Number(m[2])]));
  return { seconds: (now() - started) / 1000, steps };
}

async function rawSqliteBackup(dataDir: string): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), 'csp-bench-raw-'));
  const started = now();
  for (const name of ['events.sqlite', 'keyring.sqlite']) {
    const db = new Database(join(dataDir, name), { readonly: true });
    await db.backup(join(out, name));
    db.close();
  }
  const seconds = (now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  return seconds;
}

/** The same rows into the same schema, a page per multi-row INSERT. */
async function rawPostgresInserts(file: string, url: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  await migrate(pool);
  const db = new Database(file, { readonly: true });
  const page = db.prepare<[number, number], { stream_id: string; revision: number; event_id: string; type: string; data: string; metadata: string }>(
    'SELECT stream_id, revision, event_id, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  const started = now();
  for (let after = 0; ; after += PAGE) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) break;
    await pool.query(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       SELECT s, r, e, t, d::json, m::json FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(s, r, e, t, d, m)`,
      [
        rows.map((r) => r.stream_id),
        rows.map((r) => r.revision),
        rows.map((r) => r.event_id),
        rows.map((r) => r.type),
        rows.map((r) => r.data),
        rows.map((r) => r.metadata),
      ],
    );
  }
  const seconds = (now() - started) / 1000;
  db.close();
  await pool.end();
  return seconds;
}

/** Our copy, in process, with the time of each phase. */
async function ourCopy(dataDir: string, url: string) {
  const config = loadConfig({ DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: KEK });
  const phases: Record<string, number> = {};
  const started = now();
  const result = await copyConfiguredStore(config, quiet, { eventStoreUrl: url }, { onProgress: ({ phase }) => (phases[phase] ??= now()) });
  const end = now();
  if (!result.identical) throw new Error('the copy ended with different digests');
  const compareStarted = phases.comparing ?? end;
  return { copyingSeconds: (compareStarted - started) / 1000, comparingSeconds: (end - compareStarted) / 1000, totalSeconds: (end - started) / 1000 };
}

export async function run(): Promise<void> {
  const startedAt = now();
  const rows: (string | number)[][] = [];
  const steps: (string | number)[][] = [];
  const data: unknown[] = [];
  for (const size of SIZES) {
    const history = await cachedHistory(size);
    const events = history.events;
    const dataDir = await install(history.file);
    const folder = mkdtempSync(join(tmpdir(), 'csp-bench-backups-'));
    const backupFile = join(folder, 'backup.tar');
    try {
      log(`${events.toLocaleString('en-US')} events: raw SQLite backup`);
      const raw = await rawSqliteBackup(dataDir);
      log('backup');
      const backup = store(['backup', '--to', backupFile], dataDir);
      log('verify');
      const verify = store(['verify', backupFile], dataDir);
      log('restore');
      const restored = join(folder, 'restored');
      const restore = store(['restore', '--from', backupFile], restored);
      const perSecond = (seconds: number) => events / seconds;
      for (const [name, { seconds, steps: taken }] of [
        ['backup', backup],
        ['verify', verify],
        ['restore', restore],
      ] as const) {
        rows.push([events, name, seconds, perSecond(seconds), 'raw .backup()', perSecond(raw), x(ratio(perSecond(seconds), perSecond(raw)))]);
        steps.push([
          events,
          name,
          Object.entries(taken)
            .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
            .join(', '),
        ]);
      }

      log('raw PostgreSQL inserts');
      const rawDb = await benchDatabase();
      const inserts = await rawPostgresInserts(history.file, rawDb.url).finally(() => rawDb.drop());
      log('copy to PostgreSQL');
      const target = await benchDatabase();
      const copy = await ourCopy(dataDir, target.url).finally(() => target.drop());
      rows.push([
        events,
        'copy → PostgreSQL: copying',
        copy.copyingSeconds,
        perSecond(copy.copyingSeconds),
        'raw INSERTs',
        perSecond(inserts),
        x(ratio(perSecond(copy.copyingSeconds), perSecond(inserts))),
      ]);
      rows.push([
        events,
        'copy → PostgreSQL: whole (with the digest compared)',
        copy.totalSeconds,
        perSecond(copy.totalSeconds),
        'raw INSERTs',
        perSecond(inserts),
        x(ratio(perSecond(copy.totalSeconds), perSecond(inserts))),
      ]);
      data.push({ events, rawBackupSeconds: raw, backup, verify, restore, rawInsertSeconds: inserts, copy });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  }
  report(
    {
      name: 'store',
      description:
        'Backup, verify and restore of the embedded install (the compiled store command) vs a raw better-sqlite3 .backup() of the same files; ' +
        'copy embedded → PostgreSQL vs raw multi-row INSERTs of the same rows into the same schema, both measured in the same run.',
      tables: [
        { title: 'store', columns: ['events', 'operation', 'seconds', 'events/s', 'baseline', 'baseline events/s', 'ours / baseline'], rows },
        { title: 'where the time goes (the steps the command reports)', columns: ['events', 'command', 'steps'], rows: steps },
      ],
      data,
    },
    startedAt,
  );
}
