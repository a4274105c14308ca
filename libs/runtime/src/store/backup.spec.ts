import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig, type AppConfig } from '@csp/config';
import { digestHistory } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { KeyEncryptionKeyNotConfiguredError, TenantKeyring, type KeyBinding } from '@csp/security';
import { SqliteDataKeyStore } from '@csp/security/sqlite';
import { extractArchive, sha256OfFile, writeArchive } from './archive';
import { backUpEmbeddedStore, restoreBackup, verifyBackup } from './backup';
import { BackupDamagedError, NotABackupError, StoreCommandRefused } from './errors';
import { MANIFEST_MEMBER, type BackupManifest } from './manifest';

const kek = Buffer.alloc(32, 7);
const scratch = () => mkdtempSync(join(tmpdir(), 'csp-backup-'));
const configFor = (dataDir: string, key: Buffer | null = kek): AppConfig =>
  loadConfig({ DATA_DIR: dataDir, ...(key ? { KEY_ENCRYPTION_KEY: key.toString('base64') } : {}) }, dataDir);

/** An embedded install: events in DATA_DIR and two tenants' encrypted product keys, one tenant crypto-shredded. */
async function install() {
  const dataDir = scratch();
  const store = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const keyring = new TenantKeyring(new SqliteDataKeyStore(join(dataDir, 'keyring.sqlite')), [kek]);
  const keys: { binding: KeyBinding; material: Awaited<ReturnType<TenantKeyring['encrypt']>>; plaintext: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const binding = { tenantId: randomUUID(), orderId: randomUUID(), keyId: randomUUID() };
    const plaintext = `KEY${i}-ABCDE-FGHIJ`;
    const material = await keyring.encrypt(plaintext, binding);
    keys.push({ binding, material, plaintext });
    await store.append(
      `order-${binding.orderId}`,
      [
        {
          eventId: randomUUID(),
          type: 'ProductKeyAssigned',
          data: { material },
          metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
        },
      ],
      'no_stream',
    );
  }
  await keyring.destroy(keys[2]!.binding.tenantId);
  return { dataDir, store, keyring, keys };
}

async function backUp(dataDir: string): Promise<{ file: string; manifest: BackupManifest }> {
  const folder = scratch();
  const workDir = join(folder, 'work');
  mkdirSync(workDir);
  const file = join(folder, 'backup.tar');
  return { file, manifest: await backUpEmbeddedStore(configFor(dataDir), { workDir, destination: file }) };
}

/** Unpacks a backup, lets `edit` change its files, and packs it again as a backup would be. */
async function rewritten(file: string, edit: (folder: string, manifest: BackupManifest) => Promise<BackupManifest>): Promise<string> {
  const folder = scratch();
  const members = await extractArchive(file, folder, MANIFEST_MEMBER, new Set([MANIFEST_MEMBER, 'events.sqlite', 'keyring.sqlite']));
  const manifest = await edit(folder, JSON.parse(readFileSync(join(folder, MANIFEST_MEMBER), 'utf8')) as BackupManifest);
  const out = join(scratch(), 'edited.tar');
  await writeArchive(out, [
    { name: MANIFEST_MEMBER, source: { content: Buffer.from(JSON.stringify(manifest)) } },
    ...members.slice(1).map((m) => ({ name: m.name, source: { file: m.file } })),
  ]);
  return out;
}

const verify = (file: string, dataDir = scratch()) => {
  const workDir = join(scratch(), 'work');
  mkdirSync(workDir);
  return verifyBackup(configFor(dataDir), { from: file, workDir });
};

describe('backing up the embedded install', () => {
  it('takes the event store and the keyring together, with a manifest; restored, the same history and the same product keys', async () => {
    const { dataDir, store, keys } = await install();
    const { file, manifest } = await backUp(dataDir);
    expect(manifest.events).toEqual(expect.objectContaining({ count: 3, head: '3', digest: (await digestHistory(store)).digest }));
    expect(manifest.keyring).toEqual(expect.objectContaining({ tenants: 3, destroyed: 1, keyEncryptionKeyIds: [keys[0]!.material.kid] }));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await verify(file)).keysOpened).toBe(true);

    const target = join(scratch(), 'restored');
    await restoreBackup(configFor(target), { from: file, workDir: join(target, '.restore') });
    expect(readdirSync(target).sort()).toEqual(['events.sqlite', 'keyring.sqlite']);
    const restored = openSqliteEventStore({ file: join(target, 'events.sqlite') });
    expect(await digestHistory(restored)).toEqual(await digestHistory(store));
    await restored.close();
    const keyring = new TenantKeyring(new SqliteDataKeyStore(join(target, 'keyring.sqlite')), [kek]);
    for (const key of keys.slice(0, 2)) expect(await keyring.decrypt(key.material, key.binding)).toBe(key.plaintext);
    await expect(keyring.decrypt(keys[2]!.material, keys[2]!.binding)).rejects.toThrow(/destroyed/);
    await store.close();
  });

  it('refuses to restore into a DATA_DIR that is not empty, or with a KEK that does not open the keys, changing nothing', async () => {
    const { dataDir, store } = await install();
    const { file } = await backUp(dataDir);
    await expect(restoreBackup(configFor(dataDir), { from: file, workDir: join(dataDir, '.restore') })).rejects.toBeInstanceOf(StoreCommandRefused);
    const absent = join(scratch(), 'absent');
    await expect(restoreBackup(configFor(absent, Buffer.alloc(32, 9)), { from: file, workDir: join(absent, '.restore') })).rejects.toBeInstanceOf(
      KeyEncryptionKeyNotConfiguredError,
    );
    await expect(restoreBackup(configFor(absent, null), { from: file, workDir: join(absent, '.restore') })).rejects.toBeInstanceOf(
      KeyEncryptionKeyNotConfiguredError,
    );
    expect(existsSync(absent)).toBe(false);
    const empty = scratch();
    await expect(restoreBackup(configFor(empty, Buffer.alloc(32, 9)), { from: file, workDir: join(empty, '.restore') })).rejects.toThrow();
    expect(readdirSync(empty)).toEqual([]);
    await store.close();
  });

  it('is refused for a server store, and for a DATA_DIR without an event store', async () => {
    const folder = scratch();
    const server = loadConfig({ DATA_DIR: folder, EVENTSTORE_URL: 'postgres://u@h/db', KEY_ENCRYPTION_KEY: kek.toString('base64'), AUTH_JWT_SECRET: 's' });
    await expect(backUpEmbeddedStore(server, { workDir: folder, destination: join(folder, 'b.tar') })).rejects.toBeInstanceOf(StoreCommandRefused);
    await expect(backUpEmbeddedStore(configFor(folder), { workDir: folder, destination: join(folder, 'b.tar') })).rejects.toThrow(/No event store at/);
    writeFileSync(join(folder, 'events.sqlite'), 'not a database at all, just text that is long enough to be looked at');
    await expect(backUpEmbeddedStore(configFor(folder), { workDir: scratch(), destination: join(folder, 'b.tar') })).rejects.toThrow(/not an SQLite database/);
  });
});

describe('checking a backup', () => {
  it('fails for events edited after the backup, even with the file hashes in the manifest redone', async () => {
    const { dataDir, store } = await install();
    const { file } = await backUp(dataDir);
    const edited = await rewritten(file, async (folder, manifest) => {
      const events = join(folder, 'events.sqlite');
      const db = new Database(events);
      db.prepare(`UPDATE events SET data = json_set(data, '$.material.kid', 'kek-forged') WHERE position = 2`).run();
      db.close();
      return { ...manifest, events: { ...manifest.events, bytes: statSync(events).size, sha256: await sha256OfFile(events) } };
    });
    await expect(verify(edited)).rejects.toThrow(
      /its events are not the ones it was taken with: 3 events up to position 3, digest sha256:[0-9a-f]+; its manifest says 3 events up to 3/,
    );
    await store.close();
  });

  it('fails for a changed byte, a file cut short, a file missing; refuses what is not a backup', async () => {
    const { dataDir, store } = await install();
    const { file } = await backUp(dataDir);
    const flipped = join(scratch(), 'flipped.tar');
    const bytes = readFileSync(file);
    bytes[bytes.length - 4096] = bytes[bytes.length - 4096]! ^ 0xff;
    writeFileSync(flipped, bytes);
    await expect(verify(flipped)).rejects.toThrow(BackupDamagedError);
    const cut = join(scratch(), 'cut.tar');
    writeFileSync(cut, readFileSync(file));
    truncateSync(cut, statSync(cut).size - 20_000);
    await expect(verify(cut)).rejects.toThrow(/cut short/);
    const withoutKeyring = await rewritten(file, async (folder, manifest) => {
      const db = new Database(join(folder, 'keyring.sqlite'));
      db.prepare('DELETE FROM data_keys').run();
      db.close();
      return manifest;
    });
    await expect(verify(withoutKeyring)).rejects.toThrow(/keyring.sqlite is not the file its manifest describes/);

    const text = join(scratch(), 'notes.txt');
    writeFileSync(text, 'hello\n'.repeat(200));
    await expect(verify(text)).rejects.toBeInstanceOf(NotABackupError);
    await expect(verify(join(scratch(), 'missing.tar'))).rejects.toBeInstanceOf(NotABackupError);
    const foreign = join(scratch(), 'foreign.tar');
    await writeArchive(foreign, [{ name: 'report.csv', source: { content: Buffer.from('a,b\n') } }]);
    await expect(verify(foreign)).rejects.toThrow(/is not a backup: its first member is "report.csv"/);
    const otherManifest = join(scratch(), 'other.tar');
    await writeArchive(otherManifest, [{ name: MANIFEST_MEMBER, source: { content: Buffer.from('{"format":"something-else"}') } }]);
    await expect(verify(otherManifest)).rejects.toThrow(/is not a backup of this product/);
    await store.close();
  });
});
