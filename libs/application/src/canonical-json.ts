/**
 * JSON with object keys sorted (by UTF-16 code unit) at every level, properties whose value is
 * undefined left out, and no whitespace: one text per value. What the stored digests are computed
 * over: the request hash in PurchaseSoftware events, the audit report's chain. Its bytes must
 * never change (canonical-json.spec.ts pins them). A value JSON has no text for (undefined, as
 * the whole value or in an array; a non-finite number) is refused rather than written as
 * something else.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    if (value === undefined) throw new Error('canonicalJson: undefined');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
