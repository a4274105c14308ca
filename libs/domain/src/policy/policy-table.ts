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
    const e = entry as { id?: unknown; effectiveFrom?: unknown; description?: unknown } & Record<string, { windowHours?: unknown; credit?: unknown } | undefined>;
    const where = (what: string) => new Error(`cancellation policies: entry ${index}${typeof e?.id === 'string' ? ` (${e.id})` : ''}: ${what}`);
    if (typeof e !== 'object' || e === null) throw where('must be an object');
    if (typeof e.id !== 'string' || e.id === '') throw where('id must be a non-empty string');
    if (ids.has(e.id)) throw where('id is used twice');
    ids.add(e.id);
    if (typeof e.effectiveFrom !== 'string' || !Number.isFinite(Date.parse(e.effectiveFrom)) || !/T.*(Z|[+-]\d{2}:?\d{2})$/.test(e.effectiveFrom)) {
      throw where('effectiveFrom must be an ISO-8601 instant with a time zone');
    }
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
      effectiveFrom: new Date(Date.parse(e.effectiveFrom)).toISOString(),
      perpetual: window('perpetual', 'full') as CancellationPolicy['perpetual'],
      subscription: window('subscription', 'prorated') as CancellationPolicy['subscription'],
      ...(typeof e.description === 'string' ? { description: e.description } : {}),
    };
  });
  return table.sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom));
}

/** The entry governing a purchase at `instant`: the latest one whose effective date is not after it. */
export function policyInForce(table: readonly CancellationPolicy[], instant: string): CancellationPolicy {
  const at = Date.parse(instant);
  let inForce: CancellationPolicy | undefined;
  for (const entry of table) if (Date.parse(entry.effectiveFrom) <= at) inForce = entry;
  if (!inForce) throw new Error(`No cancellation policy is in force at ${instant}`);
  return inForce;
}
