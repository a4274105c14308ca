/**
 * `npm run store -- backup | verify | restore` (compiled; `npm run build` first) on an embedded
 * install: a backup taken while the API takes a burst of writes holds every event acknowledged
 * before it started, as a gapless prefix of the log whose digest is the store's own; restored into
 * an empty DATA_DIR, the API reveals the same product keys and goes on. A backup whose events were
 * edited fails verify (exit 1); bad input is refused (exit 2) and leaves nothing behind.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { digestHistory, parsePosition } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { extractArchive, sha256OfFile, writeArchive } from '../../libs/runtime/src/store/archive';
import { MANIFEST_MEMBER, type BackupManifest } from '../../libs/runtime/src/store/manifest';
import { runCli, STORE_CLI } from '../support/cli';
import { client, mintToken, startServer, type RunningServer } from '../support/server';
import { expectSameProduct, orderLifeWorkload, untilReady, type Workload } from '../support/store-workload';

jest.setTimeout(180_000);

const START = '2026-03-02T10:00:00.000Z';
const KEK = randomBytes(32).toString('base64');
const SECRET = `backup-${randomBytes(4).toString('hex')}`;

async function manifestOf(file: string): Promise<BackupManifest> {
  const folder = mkdtempSync(join(tmpdir(), 'csp-manifest-'));
  await extractArchive(file, folder, MANIFEST_MEMBER, new Set([MANIFEST_MEMBER, 'events.sqlite', 'keyring.sqlite']));
  return JSON.parse(readFileSync(join(folder, MANIFEST_MEMBER), 'utf8')) as BackupManifest;
}

describe('backing up a running embedded install', () => {
  let dataDir: string;
  let backups: string;
  let workload: Workload;
  let server: RunningServer;
  /** Commands answered, with the position they committed at and whether before the backup started. */
  const acknowledged: { position: bigint; orderId: string; beforeBackup: boolean }[] = [];
  const env = (dir: string) => ({ DATA_DIR: dir, KEY_ENCRYPTION_KEY: KEK });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'csp-backup-'));
    backups = mkdtempSync(join(tmpdir(), 'csp-backups-'));
    server = await startServer({ dataDir, secret: SECRET, clockStart: START, env: { KEY_ENCRYPTION_KEY: KEK } });
    workload = await orderLifeWorkload(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('taken under a write burst, holds every event acknowledged before it started, as a prefix of the log with its digest', async () => {
    const call = client(server.baseUrl);
    const agent = mintToken(SECRET, { sub: 'burst', tid: workload.partner, roles: ['admin-agent'] });
    const sku = (await call('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual').sku as string;
    // A customer of its own: the workload's software list stays as it was recorded.
    const { customerId } = (await call('POST', '/v1/customers', agent, { name: 'Burst', domain: `${randomUUID().slice(0, 8)}.example`, market: 'DE' })).body;
    let backupStarted = false;
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const res = await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku, quantity: 1 }] });
        if (res.status !== 201) throw new Error(`a purchase in the burst answered ${res.status}: ${res.text}`);
        acknowledged.push({ position: parsePosition(res.body.position)!.commit, orderId: res.body.orderId, beforeBackup: !backupStarted });
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    backupStarted = true;
    const file = join(backups, 'during-burst.tar');
    const run = await runCli(STORE_CLI, ['backup', '--to', file], env(dataDir));
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(writers);
    expect(run.stderr).toContain('backup: events snapshot');
    expect(run.code).toBe(0);
    expect(readdirSync(backups)).toEqual(['during-burst.tar']);

    const manifest = await manifestOf(file);
    const head = BigInt(manifest.events.head);
    const before = acknowledged.filter((a) => a.beforeBackup);
    expect(before.length).toBeGreaterThan(20);
    expect(before.every((a) => a.position <= head)).toBe(true);
    // Writes went on while the backup ran: some of them are after its head.
    expect(acknowledged.some((a) => a.position > head)).toBe(true);
    expect(run.stdout).toContain(`${manifest.events.count.toLocaleString('en-US')} events up to position ${manifest.events.head}`);
    expect(manifest.events.count).toBe(Number(head));
    const live = openSqliteEventStore({ file: join(dataDir, 'events.sqlite'), readOnly: true });
    try {
      expect(await digestHistory(live, { until: { commit: head, prepare: head } })).toEqual({ events: manifest.events.count, digest: manifest.events.digest });
    } finally {
      await live.close();
    }
    expect(manifest.keyring).toEqual(expect.objectContaining({ tenants: 2, destroyed: 1, keyEncryptionKeyIds: [expect.stringMatching(/^kek-/)] }));

    const verified = await runCli(STORE_CLI, ['verify', file], env(dataDir));
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^INTACT: .*digest sha256:[0-9a-f]{64} recomputed from the events$/m);
    expect(verified.stdout).toContain('keys: every data key opens with the key-encryption key configured here');
  });

  it('restored into an empty DATA_DIR: every acknowledged order, the same product keys, and the order life goes on', async () => {
    await server.stop();
    const restored = join(mkdtempSync(join(tmpdir(), 'csp-restored-')), 'data');
    const run = await runCli(STORE_CLI, ['restore', '--from', join(backups, 'during-burst.tar')], env(restored));
    expect(run.code).toBe(0);
    expect(readdirSync(restored).sort()).toEqual(['events.sqlite', 'keyring.sqlite']);
    const again = await startServer({ dataDir: restored, secret: SECRET, clockStart: START, env: { KEY_ENCRYPTION_KEY: KEK } });
    try {
      await untilReady(again);
      const call = client(again.baseUrl);
      const agent = mintToken(SECRET, { sub: 'check', tid: workload.partner, roles: ['admin-agent'] });
      for (const { orderId } of acknowledged.filter((a) => a.beforeBackup)) expect((await call('GET', `/v1/orders/${orderId}`, agent)).status).toBe(200);
      await expectSameProduct(again, workload);
    } finally {
      await again.stop();
    }
  });

  it('an edited backup fails verify (exit 1), even with the file hash in its manifest redone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'csp-edit-'));
    const members = await extractArchive(
      join(backups, 'during-burst.tar'),
      folder,
      MANIFEST_MEMBER,
      new Set([MANIFEST_MEMBER, 'events.sqlite', 'keyring.sqlite']),
    );
    const events = join(folder, 'events.sqlite');
    const db = new Database(events);
    db.prepare(
      `UPDATE events SET data = json_set(data, '$.reason', 'edited') WHERE position = (SELECT max(position) FROM events WHERE type = 'OrderCancelled')`,
    ).run();
    db.close();
    const manifest = JSON.parse(readFileSync(join(folder, MANIFEST_MEMBER), 'utf8')) as BackupManifest;
    const edited = join(backups, 'edited.tar');
    await writeArchive(edited, [
      {
        name: MANIFEST_MEMBER,
        source: {
          content: Buffer.from(
            JSON.stringify({ ...manifest, events: { ...manifest.events, bytes: statSync(events).size, sha256: await sha256OfFile(events) } }),
          ),
        },
      },
      ...members.slice(1).map((m) => ({ name: m.name, source: { file: m.file } })),
    ]);
    const run = await runCli(STORE_CLI, ['verify', edited], env(dataDir));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DAMAGED: .*edited\.tar: its events are not the ones it was taken with/);

    const flipped = join(backups, 'flipped.tar');
    const bytes = readFileSync(join(backups, 'during-burst.tar'));
    bytes[4096] = bytes[4096]! ^ 0x01;
    writeFileSync(flipped, bytes);
    const damaged = await runCli(STORE_CLI, ['verify', flipped], env(dataDir));
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/^DAMAGED: .*events\.sqlite is not the file its manifest describes/);
    const target = join(mkdtempSync(join(tmpdir(), 'csp-restore-edited-')), 'data');
    expect((await runCli(STORE_CLI, ['restore', '--from', edited], env(target))).code).toBe(1);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses bad input with exit 2, leaving nothing behind', async () => {
    const file = join(backups, 'during-burst.tar');
    const nothingLeft = mkdtempSync(join(tmpdir(), 'csp-none-'));
    const refused = async (args: string[], environment: Record<string, string>, reason: RegExp) => {
      const run = await runCli(STORE_CLI, args, environment);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(reason) });
    };
    await refused(['backup', '--to', join(dataDir, 'inside.tar')], env(dataDir), /^--to .* is inside DATA_DIR/);
    await refused(['backup', '--to', join(nothingLeft, 'missing', 'b.tar')], env(dataDir), /^--to .*: the folder .*missing does not exist/);
    await refused(['backup', '--to', join(nothingLeft, 'b.tar')], env(mkdtempSync(join(tmpdir(), 'csp-empty-'))), /^store: No event store at /);
    await refused(
      ['backup', '--to', join(nothingLeft, 'b.tar')],
      { ...env(dataDir), EVENTSTORE_URL: 'postgres://u@127.0.0.1/x', AUTH_JWT_SECRET: 'x' },
      /^store: backup is for the embedded store/,
    );
    await refused(['backup'], env(dataDir), /^backup needs --to <file>/);
    expect(readdirSync(nothingLeft)).toEqual([]);

    const notes = join(nothingLeft, 'notes.txt');
    writeFileSync(notes, 'not a backup\n'.repeat(100));
    await refused(['verify', notes], env(dataDir), /^store: .*notes\.txt is not a backup: no archive header at byte 0/);
    await refused(['verify', join(nothingLeft, 'absent.tar')], env(dataDir), /^store: Cannot read .*absent\.tar/);
    const target = join(nothingLeft, 'data');
    await refused(['restore', '--from', notes], env(target), /not a backup/);
    await refused(
      ['restore', '--from', file],
      { DATA_DIR: target, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      /^store: The data key of tenant .* is wrapped by kek-\w+, which is not configured/m,
    );
    await refused(['restore', '--from', file], { DATA_DIR: target }, /which is not configured/);
    expect(readdirSync(nothingLeft)).toEqual(['notes.txt']);
    mkdirSync(target);
    writeFileSync(join(target, 'something'), randomUUID());
    await refused(['restore', '--from', file], env(target), /^store: DATA_DIR .* is not empty \(it holds something\): restore into an empty folder/);
    expect(readdirSync(target)).toEqual(['something']);
  });
});
