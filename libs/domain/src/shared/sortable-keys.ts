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
