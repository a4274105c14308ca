import { invalid } from './errors';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Epoch milliseconds of an ISO-8601 instant; refuses what is not one. */
export function instantMs(iso: string, field = 'instant'): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw invalid('invalid_date', `${field} is not an ISO-8601 instant`, { field });
  return ms;
}

/** ISO-8601 UTC with milliseconds: the one form instants take in events. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
