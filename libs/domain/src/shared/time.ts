import { invalid } from './errors';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// Date.parse alone is too lenient for a contract: it reads "March 2, 2026" and rolls 30 February
// over into March. Instants must be ISO-8601 with an explicit zone and a real calendar date.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Epoch milliseconds of an ISO-8601 instant with a zone, or undefined if the text is not one. */
export function parseInstant(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Epoch milliseconds of an ISO-8601 instant; refuses what is not one, naming the field. */
export function instantMs(iso: string, field = 'instant'): number {
  const ms = typeof iso === 'string' ? parseInstant(iso) : undefined;
  if (ms === undefined) throw invalid('invalid_date', `${field} must be an ISO-8601 instant with a time zone`, { field });
  return ms;
}

/** ISO-8601 UTC with milliseconds: the one form instants take in events. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
