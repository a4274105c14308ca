import { instantMs, isoOf, parseInstant } from '../shared/time';
import type { CancellationPolicy } from './cancellation-policy';

/** Validates the effective-dated policy table and sorts it by effective date. */
export function parsePolicyTable(raw: unknown): CancellationPolicy[] {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { policies?: unknown }).policies)) {
    throw new Error('cancellation policies: expected { "policies": [ … ] }');
  }
  const entries = (raw as { policies: unknown[] }).policies;
  if (entries.length === 0) throw new Error('cancellation policies: the table is empty');
  const ids = new Set<string>();
  const table = entries.map((entry, index): CancellationPolicy => {
    const e = entry as { id?: unknown; effectiveFrom?: unknown; description?: unknown } & Record<
      string,
      { windowHours?: unknown; credit?: unknown } | undefined
    >;
    const where = (what: string) => new Error(`cancellation policies: entry ${index}${typeof e?.id === 'string' ? ` (${e.id})` : ''}: ${what}`);
    if (typeof e !== 'object' || e === null) throw where('must be an object');
    if (typeof e.id !== 'string' || e.id === '') throw where('id must be a non-empty string');
    if (ids.has(e.id)) throw where('id is used twice');
    ids.add(e.id);
    const effectiveFrom = typeof e.effectiveFrom === 'string' ? parseInstant(e.effectiveFrom) : undefined;
    if (effectiveFrom === undefined) throw where('effectiveFrom must be an ISO-8601 instant with a time zone');
    const window = (kind: 'perpetual' | 'subscription', credit: 'full' | 'prorated') => {
      const w = e[kind];
      if (typeof w !== 'object' || w === null || !Number.isSafeInteger(w.windowHours) || (w.windowHours as number) <= 0) {
        throw where(`${kind}.windowHours must be a positive whole number of hours`);
      }
      if (w.credit !== credit) throw where(`${kind}.credit must be "${credit}"`);
      return { windowHours: w.windowHours as number, credit };
    };
    return {
      id: e.id,
      effectiveFrom: isoOf(effectiveFrom),
      perpetual: window('perpetual', 'full') as CancellationPolicy['perpetual'],
      subscription: window('subscription', 'prorated') as CancellationPolicy['subscription'],
      ...(typeof e.description === 'string' ? { description: e.description } : {}),
    };
  });
  table.sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
  // Two entries from the same instant would leave the policy of a purchase at that instant undecided.
  table.forEach((entry, i) => {
    const previous = table[i - 1];
    if (previous && previous.effectiveFrom === entry.effectiveFrom) {
      throw new Error(`cancellation policies: ${previous.id} and ${entry.id} take effect at the same instant ${entry.effectiveFrom}`);
    }
  });
  return table;
}

/** The entry governing a purchase at `instant`: the latest one whose effective date is not after it. */
export function policyInForce(table: readonly CancellationPolicy[], instant: string): CancellationPolicy {
  const at = instantMs(instant);
  let inForce: CancellationPolicy | undefined;
  // No reliance on the table's order: a hand-built table must give the same answer as a parsed one.
  for (const entry of table) {
    const from = Date.parse(entry.effectiveFrom);
    if (from <= at && (inForce === undefined || from > Date.parse(inForce.effectiveFrom))) inForce = entry;
  }
  if (!inForce) throw new Error(`No cancellation policy is in force at ${instant}`);
  return inForce;
}
