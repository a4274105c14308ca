import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { EncryptedKeyMaterial } from '@csp/domain';
import { keyIdOf } from '../product-key-vault';
import type { DataKeyStore, WrappedDataKey } from './data-key-store';

/** The tenant's data key was destroyed: its product keys can never be read again (HTTP 410). */
export class KeyMaterialDestroyedError extends Error {
  constructor(readonly tenantId: string) {
    super('The key material of this tenant was destroyed (crypto-shredded); product keys can no longer be revealed');
    this.name = 'KeyMaterialDestroyedError';
  }
}

export interface KeyBinding {
  readonly tenantId: string;
  readonly orderId: string;
  readonly keyId: string;
}

const seal = (key: Buffer, plaintext: Buffer, aad: Buffer) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
};
const open = (key: Buffer, sealed: { iv: string; tag: string; ciphertext: string }, aad: Buffer) => {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
};

/** A tenant's data key is wrapped by a key-encryption key that is not configured: it cannot be opened here. */
export class KeyEncryptionKeyNotConfiguredError extends Error {
  constructor(
    readonly tenantId: string,
    readonly kid: string,
  ) {
    super(`The data key of tenant ${tenantId} is wrapped by ${kid}, which is not configured (KEY_ENCRYPTION_KEYS_PREVIOUS?)`);
    this.name = 'KeyEncryptionKeyNotConfiguredError';
  }
}

/** Key-encryption keys by their id (the id events and wrapped keys record). */
export function keyEncryptionKeysById(keyEncryptionKeys: readonly Buffer[]): Map<string, Buffer> {
  const keks = new Map<string, Buffer>();
  for (const kek of keyEncryptionKeys) {
    if (kek.length !== 32) throw new Error('A key-encryption key must be 32 bytes');
    keks.set(keyIdOf(kek), kek);
  }
  return keks;
}

/** A wrapped data key is bound to its tenant and its id: moved to another tenant, it does not open. */
const dekAad = (tenantId: string, dekId: string) => Buffer.from(`dek:${tenantId}:${dekId}`);

/** The tenant's data key wrapped by `kek`. */
export function wrapDataKey(tenantId: string, dekId: string, dek: Buffer, kek: Buffer, createdAt: string): WrappedDataKey {
  return { dekId, kid: keyIdOf(kek), ...seal(kek, dek, dekAad(tenantId, dekId)), createdAt };
}

/** The tenant's data key, opened with whichever of `keks` wrapped it (a wrong or tampered one fails authentication). */
export function unwrapDataKey(tenantId: string, key: WrappedDataKey, keks: ReadonlyMap<string, Buffer>): Buffer {
  const kek = keks.get(key.kid);
  if (!kek) throw new KeyEncryptionKeyNotConfiguredError(tenantId, key.kid);
  return open(kek, key, dekAad(tenantId, key.dekId));
}

/**
 * The same data key wrapped by another key-encryption key (moving a keyring to a store that uses
 * another KEK); unchanged if `to` wrapped it already. Its id and creation instant stay, so the
 * events that name it still find it.
 */
export function rewrapDataKey(tenantId: string, key: WrappedDataKey, keks: ReadonlyMap<string, Buffer>, to: Buffer): WrappedDataKey {
  if (key.kid === keyIdOf(to)) return key;
  return wrapDataKey(tenantId, key.dekId, unwrapDataKey(tenantId, key, keks), to, key.createdAt);
}

/**
 * Envelope encryption of product keys: each customer tenant has its own data key (DEK), stored
 * wrapped by a key-encryption key (KEK) from configuration; events carry the DEK id and the KEK
 * id with the ciphertext. Destroying a tenant's DEK makes all of its key material unreadable on
 * every replica at once (nothing is cached), while the events — fingerprints, who, when — stay.
 * KEK rotation: configure the new KEK first and the old ones after it; new DEKs are wrapped with
 * the new one, old ones still unwrap.
 */
export class TenantKeyring {
  private readonly keks: Map<string, Buffer>;
  private readonly currentKid: string;

  constructor(
    private readonly store: DataKeyStore,
    keyEncryptionKeys: readonly Buffer[],
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (keyEncryptionKeys.length === 0) throw new Error('TenantKeyring needs at least one key-encryption key');
    this.keks = keyEncryptionKeysById(keyEncryptionKeys);
    this.currentKid = keyIdOf(keyEncryptionKeys[0]!);
  }

  async encrypt(productKey: string, binding: KeyBinding): Promise<EncryptedKeyMaterial> {
    const { dekId, dek } = await this.dataKey(binding.tenantId, true);
    return { alg: 'A256GCM', kid: this.currentKid, dek: dekId, ...seal(dek, Buffer.from(productKey, 'utf8'), aad(binding)) };
  }

  async decrypt(material: EncryptedKeyMaterial, binding: KeyBinding): Promise<string> {
    const { dekId, dek } = await this.dataKey(binding.tenantId, false);
    if (material.dek !== dekId) throw new KeyMaterialDestroyedError(binding.tenantId);
    return open(dek, material, aad(binding)).toString('utf8');
  }

  async destroy(tenantId: string): Promise<void> {
    await this.store.destroy(tenantId, this.clock().toISOString());
  }

  private async dataKey(tenantId: string, createIfMissing: boolean): Promise<{ dekId: string; dek: Buffer }> {
    let record = await this.store.read(tenantId);
    if (record.state === 'none' && createIfMissing) {
      const wrapped = wrapDataKey(tenantId, randomUUID(), randomBytes(32), this.keks.get(this.currentKid)!, this.clock().toISOString());
      record = await this.store.create(tenantId, wrapped);
    }
    if (record.state !== 'active') throw new KeyMaterialDestroyedError(tenantId);
    return { dekId: record.key.dekId, dek: unwrapDataKey(tenantId, record.key, this.keks) };
  }
}

const aad = ({ orderId, keyId }: KeyBinding) => Buffer.from(`product-key:${orderId}:${keyId}`, 'utf8');
