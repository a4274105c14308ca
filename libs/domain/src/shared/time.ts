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

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A moment as people write it in a query or a setting (activity-log ranges, the audit CLI,
 * CLOCK_START, a last KMS activation): an ISO-8601 instant with a zone — with `T`, or a space as
 * RFC 3339 allows, between date and time — or a calendar date alone, meaning midnight UTC at its
 * start. Epoch milliseconds, or undefined when the text is not one (30 February included).
 */
export function parseDateOrInstant(text: string): number | undefined {
  return DATE_ONLY.test(text) ? parseInstant(`${text}T00:00:00.000Z`) : parseInstant(text.replace(' ', 'T'));
}

/**
 * The last instant an inclusive range's upper bound names: "a date alone means that whole day
 * (UTC)", so a date alone is its last millisecond; an instant (parseDateOrInstant) is itself.
 * The one rule, used by parseInstantRange (GET /v1/activity-log, the audit CLI) and the
 * activity-log query (libs/audit activity-log/activity-log.queries.ts). Undefined when the text is not one.
 */
export function parseRangeEnd(text: string): number | undefined {
  const start = parseDateOrInstant(text);
  return start !== undefined && DATE_ONLY.test(text) ? start + DAY_MS - 1 : start;
}

/** Why a range was refused, naming the bound at fault. */
export type RangeRefusal =
  { readonly field: 'from' | 'to'; readonly problem: 'missing' | 'malformed' } | { readonly field: 'from'; readonly problem: 'after-to' };

/**
 * An inclusive range of instants as a query gives it (GET /v1/activity-log, the audit CLI): both
 * bounds required, each parseDateOrInstant; a date alone as `to` means the whole of that day (UTC),
 * so up to its last millisecond (parseRangeEnd); `from` not after `to`. Epoch milliseconds, or the first problem.
 */
export function parseInstantRange(from: string | undefined, to: string | undefined): { readonly from: number; readonly to: number } | RangeRefusal {
  if (!from) return { field: 'from', problem: 'missing' };
  if (!to) return { field: 'to', problem: 'missing' };
  const start = parseDateOrInstant(from);
  if (start === undefined) return { field: 'from', problem: 'malformed' };
  const end = parseRangeEnd(to);
  if (end === undefined) return { field: 'to', problem: 'malformed' };
  if (start > end) return { field: 'from', problem: 'after-to' };
  return { from: start, to: end };
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
