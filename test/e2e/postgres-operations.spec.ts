/**
 * The operators' and auditors' command lines over a PostgreSQL event store (EVENTSTORE_URL=
 * postgres://…), through the composition root like every entry point: `audit replay` straight from
 * the store, byte-identical twice; `audit verify` agreeing with the activity-log read model;
 * `projections:rebuild all` into Redis leaving read models equal to a fresh rebuild. A history is
 * generated with the real deciders into a database of this run's own, dropped afterwards.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openPostgresEventStore, type PostgresEventStore } from '@csp/event-store/postgres';
import { PRODUCT_STREAMS } from '@csp/projections';
import { RedisReadModelStore } from '@csp/projections/redis';
import { replayKeyAccess } from '@csp/audit/history';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../libs/event-store/src/postgres/testing/database';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from '../../libs/projections/src/testing/redis';
import { upcastingEventStore } from '../../libs/application/src/upcasting';
import { freshRebuildOf } from '../support/fresh-rebuild';
import { generateHistory, type GeneratedHistory } from '../support/history';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../..');
const AUDIT = join(ROOT, 'dist/apps/cli/src/audit/main.js');
const REBUILD = join(ROOT, 'dist/apps/cli/src/projections/rebuild.js');
const FROM = '2026-01-01';
const TO = '2026-06-30';

const withPostgres = postgresForTests('PostgreSQL operations (audit, verify, rebuild)');
const withRedis = withPostgres && redisForTests('PostgreSQL operations: rebuild into Redis');

function run(main: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

(withPostgres ? describe : describe.skip)('command lines over a PostgreSQL event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let history: GeneratedHistory;
  let env: Record<string, string>;

  beforeAll(async () => {
    for (const main of [AUDIT, REBUILD]) if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    database = await createTestDatabase();
    store = await openPostgresEventStore({ connectionString: database.url });
    history = await generateHistory(store, { partners: 2, customersPerPartner: 5, ordersPerCustomer: 12, seed: 17 });
    // What every process needs with EVENTSTORE_URL; DATA_DIR is empty: nothing is read from it.
    env = {
      EVENTSTORE_URL: database.url,
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AUTH_JWT_SECRET: 'operations',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'csp-pg-ops-')),
    };
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('audit replay: the key-access history from the store, the same as the library replays, byte-identical twice', async () => {
    const partner = history.partners[0]!;
    const runs = await Promise.all([1, 2].map(() => run(AUDIT, ['replay', '--partner', partner, '--from', FROM, '--to', TO, '--format', 'jsonl'], env)));
    for (const r of runs) expect(r.code).toBe(0);
    expect(runs[0]!.stdout.equals(runs[1]!.stdout)).toBe(true);
    const lines = runs[0]!.stdout.toString().trim().split('\n');
    const replayed: string[] = [];
    for await (const entry of replayKeyAccess(upcastingEventStore(store), { partnerTenantId: partner, from: FROM, to: TO })) replayed.push(entry.eventId);
    expect(replayed.length).toBeGreaterThan(10);
    const text = runs[0]!.stdout.toString();
    expect(lines.length).toBeGreaterThanOrEqual(replayed.length);
    expect(replayed.filter((eventId) => !text.includes(eventId))).toEqual([]);
  });

  it('audit verify: the replay and the activity-log read model agree', async () => {
    const result = await run(AUDIT, ['verify', '--partner', history.partners[1]!, '--from', FROM, '--to', TO], env);
    expect({ code: result.code, out: result.code === 0 ? '' : `${result.stdout.toString().slice(0, 3000)}${result.stderr.slice(0, 2000)}` }).toEqual({
      code: 0,
      out: '',
    });
    expect(result.stdout.toString()).toMatch(/^OK: 0 difference\(s\); (\d+) entries in the event store, \1 in the read model/m);
  });

  (withRedis ? it : it.skip)('projections:rebuild all into Redis: read models equal to a fresh rebuild from the store', async () => {
    const prefix = testPrefix('pg-rebuild');
    const redis = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
    try {
      const result = await run(REBUILD, ['all'], { ...env, REDIS_URL, REDIS_KEY_PREFIX: prefix });
      expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
      const events = await upcastingEventStore(store).readAll({ maxCount: 1_000_000, filter: { streamPrefixes: PRODUCT_STREAMS } });
      expect(events.length).toBe(history.events);
      const compare = await freshRebuildOf(events);
      for (const [live, rebuilt] of await compare(redis)) expect(live).toEqual(rebuilt);
    } finally {
      await deleteKeys(redis.redis, prefix);
      await redis.close();
    }
  });
});
