import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKurrentClient } from '../../../event-store/src/kurrentdb/testing/fake-client';
import type { DataKeyStore } from './data-key-store';
import { KurrentDbDataKeyStore, type KeyringClient } from './kurrentdb-data-key-store';
import { SqliteDataKeyStore } from './sqlite-data-key-store';
import { KeyMaterialDestroyedError, TenantKeyring } from './tenant-keyring';

const kek = Buffer.alloc(32, 1);
const stores: [string, () => DataKeyStore][] = [
  ['SQLite keyring', () => new SqliteDataKeyStore(join(mkdtempSync(join(tmpdir(), 'csp-keyring-')), 'keyring.sqlite'))],
  ['KurrentDB keyring (fake client)', () => new KurrentDbDataKeyStore(new FakeKurrentClient() as unknown as KeyringClient)],
];

describe.each(stores)('%s: envelope encryption', (_name, open) => {
  const binding = (tenantId: string) => ({ tenantId, orderId: randomUUID(), keyId: randomUUID() });

  it('encrypts under a data key per tenant, recorded with its id and the KEK id', async () => {
    const keyring = new TenantKeyring(open(), [kek]);
    const a = binding(randomUUID());
    const b = binding(randomUUID());
    const ma = await keyring.encrypt('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', a);
    const mb = await keyring.encrypt('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', b);
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
    const keyring = new TenantKeyring(open(), [kek]);
    const victim = binding(randomUUID());
    const other = binding(randomUUID());
    const material = await keyring.encrypt('KEY-1', victim);
    const untouched = await keyring.encrypt('KEY-2', other);
    await keyring.destroy(victim.tenantId);
    await expect(keyring.decrypt(material, victim)).rejects.toBeInstanceOf(KeyMaterialDestroyedError);
    await expect(keyring.encrypt('KEY-3', victim)).rejects.toBeInstanceOf(KeyMaterialDestroyedError);
    await keyring.destroy(victim.tenantId); // idempotent
    expect(await keyring.decrypt(untouched, other)).toBe('KEY-2');
    // Another replica (a second keyring over the same store) cannot read it either: nothing is cached.
  });

  it('keeps unwrapping data keys wrapped by an earlier KEK after a rotation', async () => {
    const store = open();
    const before = new TenantKeyring(store, [kek]);
    const t = binding(randomUUID());
    const material = await before.encrypt('OLD-KEY', t);
    const newKek = Buffer.alloc(32, 2);
    const after = new TenantKeyring(store, [newKek, kek]);
    expect(await after.decrypt(material, t)).toBe('OLD-KEY');
    expect((await after.encrypt('NEW', binding(randomUUID()))).kid).not.toBe(material.kid);
    await expect(new TenantKeyring(store, [newKek]).decrypt(material, t)).rejects.toThrow(/not configured/);
  });
});

it('SQLite keyring: after destruction the wrapped key is gone from the file, not just hidden', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'csp-keyring-')), 'keyring.sqlite');
  const store = new SqliteDataKeyStore(file);
  const keyring = new TenantKeyring(store, [kek]);
  const tenantId = randomUUID();
  await keyring.encrypt('K', { tenantId, orderId: randomUUID(), keyId: randomUUID() });
  const record = await store.read(tenantId);
  if (record.state !== 'active') throw new Error('expected an active key');
  await keyring.destroy(tenantId);
  await store.close();
  const bytes = readFileSync(file);
  expect(bytes.includes(Buffer.from(record.key.ciphertext))).toBe(false);
  expect(bytes.includes(Buffer.from(record.key.ciphertext, 'base64'))).toBe(false);
});
