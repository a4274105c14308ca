import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKurrentClient } from '../../../event-store/src/kurrentdb/testing/fake-client';
import { keyIdOf } from '../product-key-vault';
import { KurrentDbDataKeyStore, type KeyringClient } from './kurrentdb-data-key-store';
import { checkDataKeysOpen, checkKeyringCopy, copyKeyring, keyringEntries, TargetHoldsOtherKeysError, wrappingKeyIds } from './keyring-transfer';
import { SqliteDataKeyStore } from './sqlite-data-key-store';
import { KeyEncryptionKeyNotConfiguredError, keyEncryptionKeysById, TenantKeyring, type KeyBinding } from './tenant-keyring';

const kek = Buffer.alloc(32, 1);
const otherKek = Buffer.alloc(32, 2);
const sqlite = () => new SqliteDataKeyStore(join(mkdtempSync(join(tmpdir(), 'csp-keyring-')), 'keyring.sqlite'));
const kurrent = () => new KurrentDbDataKeyStore(new FakeKurrentClient() as unknown as KeyringClient);
const binding = (tenantId: string): KeyBinding => ({ tenantId, orderId: randomUUID(), keyId: randomUUID() });

/** A keyring with three tenants' keys, one of them destroyed, and the material each encrypted. */
async function keyringWithKeys() {
  const store = sqlite();
  const keyring = new TenantKeyring(store, [kek]);
  const tenants = [randomUUID(), randomUUID(), randomUUID()];
  const sealed = await Promise.all(
    tenants.map(async (tenantId) => ({ at: binding(tenantId), material: await keyring.encrypt(`KEY-${tenantId}`, binding(tenantId)) })),
  );
  await keyring.destroy(tenants[2]!);
  return { store, tenants, sealed };
}

describe('moving a keyring to another store', () => {
  it('copies every data key as it is wrapped, and the destroyed ones as destroyed; product keys open on the target', async () => {
    const { store, tenants } = await keyringWithKeys();
    const target = kurrent();
    const options = { source: store, target, sourceKeys: keyEncryptionKeysById([kek]) };
    await checkKeyringCopy(options, { historyIsEmpty: true });
    const result = await copyKeyring(options);
    expect(result).toEqual({ tenants: 3, destroyed: 1, written: 3, keyEncryptionKeyIds: [keyIdOf(kek)] });
    for (const tenantId of tenants.slice(0, 2)) expect(await target.read(tenantId)).toEqual(await store.read(tenantId));
    // A tombstone keeps no instant: KurrentDB's keyring knows that the key was destroyed, not when.
    expect(await target.read(tenants[2]!)).toEqual({ state: 'destroyed', destroyedAt: 'unknown' });
    // Resumed, it writes nothing again.
    expect((await copyKeyring(options)).written).toBe(0);
  });

  it('re-wraps every data key by the target key: the same data keys, so the events that name them still decrypt', async () => {
    const source = new TenantKeyring(sqlite(), [kek]);
    const tenantId = randomUUID();
    const at = binding(tenantId);
    const material = await source.encrypt('ABCDE-12345', at);
    const sourceStore = (source as unknown as { store: SqliteDataKeyStore }).store;
    const target = sqlite();
    const result = await copyKeyring({ source: sourceStore, target, sourceKeys: keyEncryptionKeysById([kek]), targetKey: otherKek });
    expect(result.keyEncryptionKeyIds).toEqual([keyIdOf(otherKek)]);
    const moved = await target.read(tenantId);
    expect(moved).toEqual({ state: 'active', key: expect.objectContaining({ kid: keyIdOf(otherKek) }) });
    expect(await new TenantKeyring(target, [otherKek]).decrypt(material, at)).toBe('ABCDE-12345');
    await expect(new TenantKeyring(target, [kek]).decrypt(material, at)).rejects.toBeInstanceOf(KeyEncryptionKeyNotConfiguredError);
  });

  it('refuses, writing nothing: a target key without the source key to open the data keys, a target keyring of another install', async () => {
    const { store } = await keyringWithKeys();
    const target = sqlite();
    const rewrap = { source: store, target, sourceKeys: keyEncryptionKeysById([otherKek]), targetKey: otherKek };
    await expect(checkKeyringCopy(rewrap, { historyIsEmpty: true })).rejects.toBeInstanceOf(KeyEncryptionKeyNotConfiguredError);
    expect(await keyringEntries(target)).toEqual([]);

    const foreign = sqlite();
    await new TenantKeyring(foreign, [kek]).encrypt('X', binding(randomUUID()));
    const options = { source: store, target: foreign, sourceKeys: keyEncryptionKeysById([kek]) };
    await expect(checkKeyringCopy(options, { historyIsEmpty: true })).rejects.toThrow(/holds no events but its keyring holds 1/);
    await expect(checkKeyringCopy(options, { historyIsEmpty: false })).rejects.toThrow(/tenant .*, which the source does not have/);
    await expect(copyKeyring(options)).rejects.toBeInstanceOf(TargetHoldsOtherKeysError);
    expect(await keyringEntries(foreign)).toHaveLength(1);
  });

  it('destroys on the target a key destroyed in the source since the last copy: crypto-shredding wins', async () => {
    const store = sqlite();
    const keyring = new TenantKeyring(store, [kek]);
    const tenantId = randomUUID();
    await keyring.encrypt('K', binding(tenantId));
    const target = sqlite();
    const options = { source: store, target, sourceKeys: keyEncryptionKeysById([kek]) };
    await copyKeyring(options);
    await keyring.destroy(tenantId);
    await checkKeyringCopy(options, { historyIsEmpty: false });
    expect((await copyKeyring(options)).written).toBe(1);
    expect(await target.read(tenantId)).toEqual({ state: 'destroyed', destroyedAt: expect.any(String) });
  });

  it('tells which KEKs wrap a keyring and whether given keys open every data key', async () => {
    const { store } = await keyringWithKeys();
    const entries = await keyringEntries(store);
    expect(wrappingKeyIds(entries)).toEqual([keyIdOf(kek)]);
    expect(() => checkDataKeysOpen(entries, keyEncryptionKeysById([otherKek, kek]))).not.toThrow();
    expect(() => checkDataKeysOpen(entries, keyEncryptionKeysById([otherKek]))).toThrow(KeyEncryptionKeyNotConfiguredError);
  });
});
