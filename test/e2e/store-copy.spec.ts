/**
 * Moving an embedded install to PostgreSQL with `npm run store -- copy` (compiled; `npm run build`
 * first): a copy cut off half-way (its connection cut, the process killed) and run again ends with
 * the same digest on both sides; an audit replay from the copy has the same entries as the one from
 * the embedded store but for their positions, which are each store's own, and copied back to an
 * embedded store (positions numbered again from 1) it is byte-identical; the product started on the
 * copy gives the same keys, credits and software list and goes on with the copied customers and
 * orders, and the copy back resumes with what it added. Refused, nothing written: a target holding
 * another history, a key file that is not a key; an unreachable target fails (exit 3).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { digestHistory, type HistorySummary } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { openPostgresEventStore } from '@csp/event-store/postgres';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../libs/event-store/src/postgres/testing/database';
import { AUDIT_CLI, runCli, STORE_CLI } from '../support/cli';
import { generateHistory } from '../support/history';
import { client, mintToken, startServer, type RunningServer } from '../support/server';
import { expectSameProduct, orderLifeWorkload, untilReady, type Workload } from '../support/store-workload';
import { startTcpProxy } from '../support/tcp-proxy';

jest.setTimeout(240_000);

const withPostgres = postgresForTests('store copy to PostgreSQL');
const START = '2026-03-02T10:00:00.000Z';
const KEK = randomBytes(32).toString('base64');
const SECRET = `copy-${randomBytes(4).toString('hex')}`;
/** The webhook receiver is on loopback, which webhooks never target unless the operator allows it. */
const HOOKS = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

const embeddedDigest = async (dataDir: string): Promise<HistorySummary> => {
  const store = openSqliteEventStore({ file: join(dataDir, 'events.sqlite'), readOnly: true });
  try {
    return await digestHistory(store);
  } finally {
    await store.close();
  }
};
const postgresDigest = async (url: string): Promise<HistorySummary> => {
  const store = await openPostgresEventStore({ connectionString: url, readOnly: true });
  try {
    return await digestHistory(store);
  } finally {
    await store.close();
  }
};

async function eventsIn(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
  } catch {
    return 0; // not migrated yet
  } finally {
    await client.end();
  }
}

(withPostgres ? describe : describe.skip)('moving an embedded install to PostgreSQL', () => {
  let dataDir: string;
  let database: TestDatabase;
  let workload: Workload;
  let replayed: string;
  let total: number;
  let receiver: Server;
  const delivered: { eventId: string; type: string }[] = [];
  let webhookId: string;
  const backOffice = mintToken(SECRET, { sub: 'billing', tid: randomUUID(), roles: ['back-office'] });
  const back = join(mkdtempSync(join(tmpdir(), 'csp-copy-back-')), 'data');
  const embedded = () => ({ DATA_DIR: dataDir, KEY_ENCRYPTION_KEY: KEK });
  const onPostgres = () => ({
    EVENTSTORE_URL: database.url,
    KEY_ENCRYPTION_KEY: KEK,
    AUTH_JWT_SECRET: SECRET,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'csp-copy-rm-')),
    ...HOOKS,
  });
  const replay = (env: Record<string, string>) =>
    runCli(AUDIT_CLI, ['replay', '--partner', workload.partner, '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'jsonl'], env);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        delivered.push(JSON.parse(body) as { eventId: string; type: string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    dataDir = mkdtempSync(join(tmpdir(), 'csp-copy-'));
    database = await createTestDatabase();
    // A history large enough that a copy takes a while, then the product's own order life on top.
    const store = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    await generateHistory(store, { partners: 2, customersPerPartner: 20, ordersPerCustomer: 60, seed: 18 });
    await store.close();
    const server: RunningServer = await startServer({ dataDir, secret: SECRET, clockStart: START, env: { KEY_ENCRYPTION_KEY: KEK, ...HOOKS } });
    try {
      const hook = await client(server.baseUrl)('POST', '/v1/webhooks', backOffice, {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      });
      expect(hook.status).toBe(201);
      webhookId = hook.body.webhookId;
      workload = await orderLifeWorkload(server);
      // Everything delivered, then checkpointed when the API stops.
      for (let i = 0; i < 400 && !delivered.some((e) => e.type === 'CreditIssued'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await server.stop();
    }
    expect(delivered.length).toBeGreaterThan(5);
    const run = await replay(embedded());
    expect(run.code).toBe(0);
    replayed = run.stdout;
    total = (await embeddedDigest(dataDir)).events;
  });
  afterAll(async () => {
    await database?.drop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('a copy cut off half-way goes on where the target is when run again, and ends with the same digest on both sides', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    let copiedWhenCut = 0;
    const cut = await runCli(STORE_CLI, ['copy', '--to', viaProxy.toString()], embedded(), (child) => {
      let looking = false;
      const poll = setInterval(() => {
        if (looking || copiedWhenCut > 0) return;
        looking = true;
        void eventsIn(database.url).then(async (events) => {
          looking = false;
          if (events < 1000) return;
          copiedWhenCut = events;
          clearInterval(poll);
          await proxy.cut();
          child.kill('SIGKILL');
        });
      }, 10);
      child.once('close', () => clearInterval(poll));
    });
    await proxy.close();
    expect(cut.code === 3 || cut.signal === 'SIGKILL').toBe(true);
    const left = await eventsIn(database.url);
    expect(left).toBeGreaterThanOrEqual(1000);
    expect(left).toBeLessThan(total);

    const resumed = await runCli(STORE_CLI, ['copy', '--to', database.url], embedded());
    expect(resumed.stderr).toContain('copy: checking the events already on the target');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`(${left.toLocaleString('en-US')} there already, ${(total - left).toLocaleString('en-US')} copied)`);
    const source = await embeddedDigest(dataDir);
    expect(resumed.stdout).toContain(`digest: ${source.digest} on both sides (${total.toLocaleString('en-US')} events)`);
    expect(await postgresDigest(database.url)).toEqual(source);
    expect(resumed.stdout).toMatch(/keyring: 2 tenant key\(s\), 1 destroyed, 2 written; the target's data keys are wrapped by kek-/);
    expect(resumed.stdout).toContain('webhooks: 1 checkpoint(s) name positions of the source');
    expect(resumed.stdout).toMatch(new RegExp(`^  ${webhookId}: the source's \\d+ is the target's \\d+/\\d+$`, 'm'));
  });

  it('an audit replay from the copy has the same entries but for their positions; copied back to an embedded store, byte for byte', async () => {
    const run = await replay(onPostgres());
    expect(run.code).toBe(0);
    // Positions (and so the chain over the entries) are the store's own; everything else is the history's.
    const withoutPositions = (report: string) =>
      report
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { entry?: { position: string } })
        .filter((line) => line.entry)
        .map(({ entry }) => ({ ...entry, position: undefined }));
    expect(withoutPositions(run.stdout)).toEqual(withoutPositions(replayed));
    expect(withoutPositions(replayed).length).toBeGreaterThan(4);

    const copied = await runCli(STORE_CLI, ['copy', '--to-data-dir', back], onPostgres());
    expect(copied.code).toBe(0);
    expect(await embeddedDigest(back)).toEqual(await embeddedDigest(dataDir));
    const home = await replay({ DATA_DIR: back, KEY_ENCRYPTION_KEY: KEK });
    expect(home.code).toBe(0);
    expect(home.stdout).toBe(replayed);
  });

  it('the product on the copy gives the same keys, credits and software list, and goes on with the copied customers and orders', async () => {
    // The last copy, the API stopped: the webhook's checkpoint moves to the target's position of its event.
    const final = await runCli(STORE_CLI, ['copy', '--to', database.url, '--final'], embedded());
    expect(final.code).toBe(0);
    expect(final.stdout).toContain(`(${total.toLocaleString('en-US')} there already, 0 copied)`);
    expect(final.stdout).toContain("webhooks: 1 checkpoint(s) moved to the target's positions");
    const before = new Set(delivered.map((e) => e.eventId));
    // On the embedded install's own DATA_DIR: its read models name the embedded store's positions, and are rebuilt.
    const server = await startServer({ dataDir, secret: SECRET, clockStart: START, env: { ...onPostgres(), DATA_DIR: dataDir, LOG_LEVEL: 'info' } });
    try {
      await untilReady(server);
      expect(server.logs()).toMatch(/Read model rebuilt from the first event.*built from another event store/);
      await expectSameProduct(server, workload);
      // The webhook goes on where it was: what the product did on the copy, and nothing it had delivered before.
      for (let i = 0; i < 400 && !delivered.some((e) => !before.has(e.eventId) && e.type === 'SoftwarePurchased'); i++)
        await new Promise((r) => setTimeout(r, 50));
      const after = delivered.slice(before.size);
      expect(after.some((e) => e.type === 'SoftwarePurchased')).toBe(true);
      expect(after.filter((e) => before.has(e.eventId))).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('copying back again goes on with what the product added on the copy: the same digest again', async () => {
    const run = await runCli(STORE_CLI, ['copy', '--to-data-dir', back], onPostgres());
    expect(run.code).toBe(0);
    const there = await postgresDigest(database.url);
    expect(there.events).toBeGreaterThan(total);
    expect(run.stdout).toContain(`(${total.toLocaleString('en-US')} there already, ${(there.events - total).toLocaleString('en-US')} copied)`);
    expect(run.stdout).toContain(`digest: ${there.digest} on both sides`);
    expect(await embeddedDigest(back)).toEqual(there);
  });

  it('refuses a target that holds another history, and a key file that is not a key, writing nothing; fails on an unreachable one', async () => {
    const other = mkdtempSync(join(tmpdir(), 'csp-copy-other-'));
    const store = openSqliteEventStore({ file: join(other, 'events.sqlite') });
    await generateHistory(store, { partners: 1, customersPerPartner: 1, ordersPerCustomer: 2, seed: 99 });
    await store.close();
    const before = await postgresDigest(database.url);
    const refused = await runCli(STORE_CLI, ['copy', '--to', database.url], { DATA_DIR: other, KEY_ENCRYPTION_KEY: KEK });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^store: The target is not empty: its keyring holds a data key for tenant .*, which the source does not have$/m);
    expect(await postgresDigest(database.url)).toEqual(before);
    const behind = await embeddedDigest(back);
    const ahead = await runCli(STORE_CLI, ['copy', '--to-data-dir', back], embedded());
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toMatch(/^store: The target holds more events than the source: its event #\d+ is /m);
    expect(await embeddedDigest(back)).toEqual(behind);

    const keyFile = join(other, 'not-a-key');
    writeFileSync(keyFile, 'short\n');
    const target = join(mkdtempSync(join(tmpdir(), 'csp-copy-none-')), 'data');
    const badKey = await runCli(STORE_CLI, ['copy', '--to-data-dir', target, '--target-key-file', keyFile], embedded());
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/^--target-key-file .* must hold a 32-byte key/);
    expect(readdirSync(join(target, '..'))).toEqual([]);

    const unreachable = await runCli(STORE_CLI, ['copy', '--to', 'postgres://postgres@127.0.0.1:1/nothing'], embedded());
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^store copy failed: PostgreSQL is unavailable/m);
    const notAUrl = await runCli(STORE_CLI, ['copy', '--to', 'mysql://somewhere/db'], embedded());
    expect(notAUrl.code).toBe(2);
    expect(notAUrl.stderr).toMatch(/^--to must be an EVENTSTORE_URL/);
  });
});
