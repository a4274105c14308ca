import { createHash, randomBytes } from 'node:crypto';
import { parseId } from '@csp/domain';

/**
 * A download link token is `<orderId>.<secret>`: the order id routes the request to its stream,
 * the 256-bit secret proves possession. Only the secret's SHA-256 is stored; comparing hashes of
 * the secret (not the secret) keeps the lookup free of timing leaks.
 */
export interface LinkToken {
  readonly orderId: string;
  readonly secret: string;
}

const TOKEN = /^([^.]+)\.([A-Za-z0-9_-]{43})$/;

export function newLinkToken(orderId: string): { token: string; tokenHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${orderId}.${secret}`, tokenHash: hashLinkSecret(secret) };
}

/** The order id (an id by parseId, spelt as minted: lower case) and the secret, or undefined. */
export function parseLinkToken(token: string): LinkToken | undefined {
  const m = TOKEN.exec(token);
  return m && parseId(m[1]) === m[1] ? { orderId: m[1]!, secret: m[2]! } : undefined;
}

export function hashLinkSecret(secret: string): string {
  return createHash('sha256').update(`download-link:${secret}`).digest('hex');
}
