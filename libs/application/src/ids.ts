import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

// Fixed namespace for ids derived from (partner, idempotency key): the same pair always names the same order.
const ORDER_NAMESPACE = 'b8f0c2a4-5d0e-4c7e-9a52-6f1d2c3b4a59';

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace: string = ORDER_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** SHA-256 of a value's canonical JSON (keys sorted), to recognise "the same request" byte for byte. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
