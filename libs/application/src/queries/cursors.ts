/*
 * What a list's cursor looks like outside: its position in the list's index (a page's last entry,
 * PageRequest in @csp/domain), in base64url, so that clients hold it as an opaque token and never
 * build one. Only the canonical spelling of a position the list hands out is read back.
 */

/** The cursor a client is handed for a position. */
export const encodeCursor = (position: string): string => Buffer.from(position, 'utf8').toString('base64url');

/** The position a cursor names, or undefined when it is not a cursor this list handed out. */
export function decodeCursor(cursor: string, isPosition: (position: string) => boolean): string | undefined {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  return encodeCursor(position) === cursor && isPosition(position) ? position : undefined;
}

/** A page's answer continues with `nextCursor` only when another page follows. */
export const nextCursorOf = (page: { readonly nextCursor?: string }): { nextCursor?: string } =>
  page.nextCursor !== undefined ? { nextCursor: encodeCursor(page.nextCursor) } : {};
