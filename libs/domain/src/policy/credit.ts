import { DAY_MS } from '../shared/time';

/**
 * purchasedAt + months calendar months, UTC, same time of day; a day past the end of the target
 * month clamps to its last day (31 January + 1 month = 28 or 29 February).
 */
export function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const targetMonth = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(targetMonth / 12);
  const month = ((targetMonth % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** Whole days from purchase to purchase + term (365 or 366 for 12 months, depending on 29 February). */
export function termDays(purchasedAtMs: number, termMonths: number): number {
  return Math.floor((addMonthsUtc(purchasedAtMs, termMonths) - purchasedAtMs) / DAY_MS);
}

/**
 * Prorated subscription credit, exactly: round-half-up(amount × remaining ÷ termDays), with
 * remaining = termDays − whole days elapsed. BigInt keeps amount × remaining exact at any size.
 */
export function subscriptionCredit(amount: number, termMonths: number, purchasedAtMs: number, cancelledAtMs: number): number {
  const term = termDays(purchasedAtMs, termMonths);
  const elapsed = Math.max(0, Math.floor((cancelledAtMs - purchasedAtMs) / DAY_MS));
  const remaining = Math.max(0, term - elapsed);
  return roundHalfUpRatio(BigInt(amount) * BigInt(remaining), BigInt(term));
}

/** round-half-up(numerator ÷ denominator) for non-negative integers. */
export function roundHalfUpRatio(numerator: bigint, denominator: bigint): number {
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** 'YYYY-MM' of the calendar month after the instant (UTC): the invoice that carries a credit. */
export function invoiceMonthAfter(ms: number): string {
  const d = new Date(ms);
  const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
}
