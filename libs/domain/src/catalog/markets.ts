import { isObject } from '../shared/data';

/**
 * A market is an ISO 3166-1 alpha-2 country code, and only an officially assigned one (SPEC §1).
 * Which codes are assigned is data (config/iso-3166-1-alpha-2.json), read by the application and
 * passed in: ISO adds and withdraws codes, and the domain reads no files.
 */
export interface Markets {
  /** The officially assigned codes, sorted. */
  readonly codes: readonly string[];
  /** Whether `code` (upper-case) is an officially assigned code. */
  isAssigned(code: string): boolean;
}

/** The shape of an alpha-2 code: two upper-case letters. Says nothing about whether ISO assigned it. */
export const isMarketCode = (code: string): boolean => /^[A-Z]{2}$/.test(code);

/**
 * The codes ISO 3166-1 leaves to its users (AA, QM–QZ, XA–XZ, ZZ): they never name a country, so
 * a data file listing one is refused rather than trusted.
 */
export const isUserAssignedCode = (code: string): boolean => code === 'AA' || code === 'ZZ' || /^(Q[M-Z]|X[A-Z])$/.test(code);

/** Validates the markets file: `{ source, codes: { "FR": "France", … } }`, naming the source of the list. */
export function parseMarkets(raw: unknown): Markets {
  if (!isObject(raw) || !isObject(raw.codes)) throw new Error('markets: expected { "source": "…", "codes": { "FR": "France", … } }');
  if (typeof raw.source !== 'string' || raw.source.trim() === '') throw new Error('markets: "source" must say where the list of codes comes from');
  const codes = Object.keys(raw.codes).sort();
  if (codes.length === 0) throw new Error('markets: "codes" is empty');
  for (const code of codes) {
    if (!isMarketCode(code)) throw new Error(`markets: "${code}" is not an alpha-2 code (two upper-case letters)`);
    if (isUserAssignedCode(code)) throw new Error(`markets: "${code}" is a user-assigned code, not a country`);
    const name = raw.codes[code];
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`markets: "${code}" needs the country's name`);
  }
  const assigned = new Set(codes);
  return { codes, isAssigned: (code) => assigned.has(code) };
}
