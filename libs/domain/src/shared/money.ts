/** An amount in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  /** Integer minor units (cents) of `currency`. */
  readonly amount: number;
  /** ISO 4217 code, e.g. `EUR`. */
  readonly currency: string;
}

/*
 * Money totals per currency: the one rule — integer minor units summed per ISO 4217 code, never
 * across codes; as a list, in currency-code order. Used by the order's state (what it was paid and
 * credited, libs/orders order-credits.rules.ts), the order view's totals and creditable remainders
 * (libs/orders order-stream.state.ts), the order-history read model's totals, the credits read model's totals
 * of every selection (libs/credits credits.projection.ts) and the analysts' amounts (libs/analytics
 * analytics.projection.ts and analytics.queries.ts).
 */

/** `totals` plus every amount of `items`, per currency, as a new map (`totals` is left as it was). */
export function addByCurrency(items: Iterable<Money>, totals: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const sum = new Map(totals);
  for (const { amount, currency } of items) sum.set(currency, (sum.get(currency) ?? 0) + amount);
  return sum;
}

/** Amounts per currency (a map, or a record as JSON documents keep them) as a list, in currency-code order. */
export function moneyList(byCurrency: ReadonlyMap<string, number> | Readonly<Record<string, number>>): Money[] {
  const entries = byCurrency instanceof Map ? [...(byCurrency as ReadonlyMap<string, number>)] : Object.entries(byCurrency);
  return entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ amount, currency }));
}

/** The totals per currency of `items`, in currency-code order. */
export const totalsByCurrency = (items: Iterable<Money>): Money[] => moneyList(addByCurrency(items));
