import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FakeKurrentClient } from '../../../event-store/src/kurrentdb/testing/fake-client';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../../event-store/src/postgres/testing/database';
import type { DataKeyStore } from './data-key-store';
import { KurrentDbDataKeyStore, type KeyringClient } from './kurrentdb-data-key-store';
import { PostgresDataKeyStore } from './postgres-data-key-store';
import { SqliteDataKeyStore } from './sqlite-data-key-store';
import { KeyMaterialDestroyedError, TenantKeyring } from './tenant-keyring';

const kek = Buffer.alloc(32, 1);
const withPostgres = postgresForTests('PostgreSQL keyring');
/** One database for the file's PostgreSQL keyrings, dropped at the end; each test's tenants are fresh UUIDs. */
let database: TestDatabase | undefined;
const postgresStores: PostgresDataKeyStore[] = [];
const openPostgres = () => {
  const store = new PostgresDataKeyStore(database!.url);
  postgresStores.push(store);
  return store;
};
beforeAll(async () => {
  if (withPostgres) database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(postgresStores.splice(0).map((store) => store.close().catch(() => undefined)));
  await database?.drop();
});

const stores: [string, () => DataKeyStore][] = [
  ['SQLite keyring', () => new SqliteDataKeyStore(join(mkdtempSync(join(tmpdir(), 'csp-keyring-')), 'keyring.sqlite'))],
  ['KurrentDB keyring (fake client)', () => new KurrentDbDataKeyStore(new FakeKurrentClient() as unknown as KeyringClient)],
  ...(withPostgres ? ([['PostgreSQL keyring (real server)', openPostgres]] as [string, () => DataKeyStore][]) : []),
];

/** What a key is encrypted for: an order and key of a fresh tenant. */
const binding = () => ({ tenantId: randomUUID(), orderId: randomUUID(), keyId: randomUUID() });

describe.each(stores)('%s: envelope encryption', (_name, open) => {
  /** A keyring over a fresh store, with one secret encrypted for each of two tenants. */
  const twoTenants = async (secretA: string, secretB: string) => {
    const keyring = new TenantKeyring(open(), [kek]);
    const [a, b] = [binding(), binding()];
    return { keyring, a, b, ma: await keyring.encrypt(secretA, a), mb: await keyring.encrypt(secretB, b) };
  };

  it('encrypts under a data key per tenant, recorded with its id and the KEK id', async () => {
    const { keyring, a, b, ma, mb } = await twoTenants('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE');
    expect(ma.dek).toEqual(expect.any(String));
    expect(ma.dek).not.toBe(mb.dek);
    expect(ma.kid).toMatch(/^kek-/);
    expect(JSON.stringify(ma)).not.toContain('AAAAA');
    expect(await keyring.decrypt(ma, a)).toBe('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE');
    // The same tenant keeps one data key.
    expect((await keyring.encrypt('X', { ...a, keyId: randomUUID() })).dek).toBe(ma.dek);
    // Ciphertext moved to another tenant or order does not open.
    await expect(keyring.decrypt(ma, { ...a, orderId: randomUUID() })).rejects.toThrow();
    await expect(keyring.decrypt(ma, { ...b, orderId: a.orderId, keyId: a.keyId })).rejects.toThrow();
  });

  it("destroys a tenant's data key: its key material is unreadable for good, other tenants unaffected", async () => {
    const { keyring, a: victim, b: other, ma: material, mb: untouched } = await twoTenants('KEY-1', 'KEY-2');
    await keyring.destroy(victim.tenantId);
    await expect(keyring.decrypt(material, victim)).rejects.toBeInstanceOf(KeyMaterialDestroyedError);
    await expect(keyring.encrypt('KEY-3', victim)).rejects.toBeInstanceOf(KeyMaterialDestroyedError);
    await keyring.destroy(victim.tenantId); // idempotent
    expect(await keyring.decrypt(untouched, other)).toBe('KEY-2');
    // Another replica (a second keyring over the same store) cannot read it either: nothing is cached.
  });

  it('lists every tenant that has or had a data key, destroyed ones too', async () => {
    const store = open();
    const keyring = new TenantKeyring(store, [kek]);
    const [active, destroyed] = [randomUUID(), randomUUID()];
    await keyring.encrypt('K', { ...binding(), tenantId: active });
    await keyring.encrypt('K', { ...binding(), tenantId: destroyed });
    await keyring.destroy(destroyed);
    const entries = new Map<string, unknown>();
    for await (const entry of store.entries()) entries.set(entry.tenantId, entry.record);
    expect(entries.get(active)).toEqual(await store.read(active));
    expect(entries.get(active)).toEqual({ state: 'active', key: expect.objectContaining({ kid: expect.stringMatching(/^kek-/) }) });
    expect(entries.get(destroyed)).toEqual({ state: 'destroyed', destroyedAt: expect.any(String) });
  });

  it('keeps unwrapping data keys wrapped by an earlier KEK after a rotation', async () => {
    const store = open();
    const before = new TenantKeyring(store, [kek]);
    const t = binding();
    const material = await before.encrypt('OLD-KEY', t);
    const newKek = Buffer.alloc(32, 2);
    const after = new TenantKeyring(store, [newKek, kek]);
    expect(await after.decrypt(material, t)).toBe('OLD-KEY');
    expect((await after.encrypt('NEW', binding())).kid).not.toBe(material.kid);
    await expect(new TenantKeyring(store, [newKek]).decrypt(material, t)).rejects.toThrow(/not configured/);
  });
});

/** Encrypts for a fresh tenant, then destroys its data key: the tenant and the wrapped key it had. */
async function destroyedTenant(store: DataKeyStore) {
  const keyring = new TenantKeyring(store, [kek]);
  const bound = binding();
  const { tenantId } = bound;
  await keyring.encrypt('K', bound);
  const record = await store.read(tenantId);
  if (record.state !== 'active') throw new Error('expected an active key');
  await keyring.destroy(tenantId);
  return { tenantId, key: record.key };
}

it('SQLite keyring: after destruction the wrapped key is gone from the file, not just hidden', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'csp-keyring-')), 'keyring.sqlite');
  const store = new SqliteDataKeyStore(file);
  const { key } = await destroyedTenant(store);
  await store.close();
  const bytes = readFileSync(file);
  expect(bytes.includes(Buffer.from(key.ciphertext))).toBe(false);
  expect(bytes.includes(Buffer.from(key.ciphertext, 'base64'))).toBe(false);
});

(withPostgres ? describe : describe.skip)('PostgreSQL keyring (real server)', () => {
  it("deletes the tenant's row on destruction, remembers the destruction, and refuses a new key", async () => {
    const store = openPostgres();
    const { tenantId, key } = await destroyedTenant(store);
    const client = new Client({ connectionString: database!.url });
    await client.connect();
    try {
      expect((await client.query('SELECT * FROM data_keys WHERE tenant_id = $1', [tenantId])).rows).toEqual([]);
      expect((await client.query('SELECT * FROM data_keys WHERE ciphertext = $1', [key.ciphertext])).rows).toEqual([]);
      expect((await client.query('SELECT tenant_id FROM destroyed_data_keys WHERE tenant_id = $1', [tenantId])).rows).toHaveLength(1);
    } finally {
      await client.end();
    }
    expect(await store.read(tenantId)).toEqual({ state: 'destroyed', destroyedAt: expect.any(String) });
    // Another replica, over the same database, sees the same.
    expect((await openPostgres().create(tenantId, key)).state).toBe('destroyed');
  });

  it('lets exactly one of concurrent creators win, across replicas', async () => {
    const tenantId = randomUUID();
    const replicas = [openPostgres(), openPostgres(), openPostgres()];
    const keys = replicas.map((_, i) => ({
      dekId: randomUUID(),
      kid: 'kek-x',
      iv: `iv${i}`,
      tag: 't',
      ciphertext: `c${i}`,
      createdAt: '2026-03-02T10:00:00.000Z',
    }));
    const results = await Promise.all(replicas.map((store, i) => store.create(tenantId, keys[i]!)));
    const winners = new Set(results.map((r) => (r.state === 'active' ? r.key.dekId : r.state)));
    expect(winners.size).toBe(1);
  });
});
