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

/**
 * Envelope encryption of product keys: each customer tenant has its own data key (DEK), stored
 * wrapped by a key-encryption key (KEK) from configuration; events carry the DEK id and the KEK
 * id with the ciphertext. Destroying a tenant's DEK makes all of its key material unreadable on
 * every replica at once (nothing is cached), while the events — fingerprints, who, when — stay.
 * KEK rotation: configure the new KEK first and the old ones after it; new DEKs are wrapped with
 * the new one, old ones still unwrap.
 */
export class TenantKeyring {
  private readonly keks = new Map<string, Buffer>();
  private readonly currentKid: string;

  constructor(
    private readonly store: DataKeyStore,
    keyEncryptionKeys: readonly Buffer[],
    private readonly clock: () => Date = () => new Date(),
  ) {
    if (keyEncryptionKeys.length === 0) throw new Error('TenantKeyring needs at least one key-encryption key');
    for (const kek of keyEncryptionKeys) {
      if (kek.length !== 32) throw new Error('A key-encryption key must be 32 bytes');
      this.keks.set(keyIdOf(kek), kek);
    }
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
      const dek = randomBytes(32);
      const dekId = randomUUID();
      const wrapped: WrappedDataKey = {
        dekId,
        kid: this.currentKid,
        ...seal(this.keks.get(this.currentKid)!, dek, Buffer.from(`dek:${tenantId}:${dekId}`)),
        createdAt: this.clock().toISOString(),
      };
      record = await this.store.create(tenantId, wrapped);
    }
    if (record.state !== 'active') throw new KeyMaterialDestroyedError(tenantId);
    const kek = this.keks.get(record.key.kid);
    if (!kek) throw new Error(`The data key of tenant ${tenantId} is wrapped by ${record.key.kid}, which is not configured (KEY_ENCRYPTION_KEYS_PREVIOUS?)`);
    return { dekId: record.key.dekId, dek: open(kek, record.key, Buffer.from(`dek:${tenantId}:${record.key.dekId}`)) };
  }
}

const aad = ({ orderId, keyId }: KeyBinding) => Buffer.from(`product-key:${orderId}:${keyId}`, 'utf8');
