import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import type { EncryptedKeyMaterial } from '@csp/domain';

/**
 * Encrypts product keys before they enter an event (AES-256-GCM), so the event store, logs and
 * read models only ever hold ciphertext and a fingerprint. The ciphertext is bound to its order and
 * key id (additional authenticated data), so it cannot be moved to another order's stream.
 */
export class ProductKeyVault {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKid: string;

  /** @param keyEncryptionKeys 32-byte keys, the current one first; older ones only decrypt. */
  constructor(keyEncryptionKeys: readonly Buffer[]) {
    if (keyEncryptionKeys.length === 0) throw new Error('ProductKeyVault needs at least one key-encryption key');
    for (const key of keyEncryptionKeys) {
      if (key.length !== 32) throw new Error('A key-encryption key must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKid = keyIdOf(keyEncryptionKeys[0]!);
  }

  encrypt(productKey: string, binding: { orderId: string; keyId: string }): EncryptedKeyMaterial {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKid)!, iv);
    cipher.setAAD(aad(binding));
    const ciphertext = Buffer.concat([cipher.update(productKey, 'utf8'), cipher.final()]);
    return {
      alg: 'A256GCM',
      kid: this.currentKid,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  decrypt(material: EncryptedKeyMaterial, binding: { orderId: string; keyId: string }): string {
    const key = this.keys.get(material.kid);
    if (!key) throw new Error(`Key-encryption key ${material.kid} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(material.iv, 'base64'));
    decipher.setAAD(aad(binding));
    decipher.setAuthTag(Buffer.from(material.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(material.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}

const aad = ({ orderId, keyId }: { orderId: string; keyId: string }) => Buffer.from(`product-key:${orderId}:${keyId}`, 'utf8');

/** A key id derived from the key itself: rotation needs no bookkeeping, and the id reveals nothing. */
export function keyIdOf(key: Buffer): string {
  return 'kek-' + createHash('sha256').update('kek-id:').update(key).digest('hex').slice(0, 12);
}

/** Fingerprint of a product key: what audits, read models and logs show instead of the key. */
export function fingerprintProductKey(productKey: string): string {
  return 'sha256:' + createHash('sha256').update(`product-key:${productKey}`).digest('hex').slice(0, 32);
}

// The 24 characters Microsoft product keys use (no vowels but none that look alike).
const KEY_ALPHABET = 'BCDFGHJKMPQRTVWXY2346789';

/** A MAK-shaped product key: five groups of five from a 24-character alphabet (~110 bits). */
export function generateProductKey(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
