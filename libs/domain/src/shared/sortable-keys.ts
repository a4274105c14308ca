/* Read models keep ordered indexes whose entries sort as strings: these fixed-width encodings make string order time (or position) order. */

const TIME_DIGITS = 15;
const POSITION_DIGITS = 20;

/**
 * Epoch milliseconds as fixed-width digits, so that index entries sort by time as strings. An
 * instant that is not one (or predates 1970) would sort wrongly: refusing it stops the read model
 * on that event instead of misplacing it.
 */
export function sortableTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`"${iso}" is not an ISO-8601 instant after 1970`);
  return String(ms).padStart(TIME_DIGITS, '0');
}

export const sortablePosition = (position: bigint): string => position.toString().padStart(POSITION_DIGITS, '0');

/** Whether a part of an index entry is a sortableTime. */
export const isSortableTime = (text: string): boolean => text.length === TIME_DIGITS && /^\d+$/.test(text);

/** Whether a part of an index entry is a sortablePosition. */
export const isSortablePosition = (text: string): boolean => text.length === POSITION_DIGITS && /^\d+$/.test(text);

/**
 * Whether `entry` is exactly these parts joined by `|`, each passing its check: how a list
 * recognises a cursor as one of its own index entries before reading from it.
 */
export const isIndexEntry = (entry: string, ...parts: readonly ((part: string) => boolean)[]): boolean => {
  const found = entry.split('|');
  return found.length === parts.length && parts.every((check, i) => check(found[i]!));
};
