import { isObject } from '../shared/data';
import { isMarketCode } from './markets';
import type { CancellationClass, LicenseType, Sku } from './sku';

export interface Catalog {
  readonly items: readonly Sku[];
  find(sku: string): Sku | undefined;
}

const LICENSE_TYPES: readonly LicenseType[] = ['perpetual', 'subscription'];
const CANCELLATION_CLASSES: readonly CancellationClass[] = ['standard', 'support-request', 'non-cancellable'];
/** Written in the catalog file where a SKU takes the Azure reservations' list of unavailable markets. */
export const AZURE_UNAVAILABLE_MARKETS_REF = '@azure-unavailable-markets';

/** Prices include taxes only in Australia and Brazil. */
export const isTaxInclusiveMarket = (market: string): boolean => market === 'AU' || market === 'BR';

/** The version sold plus up to `downgradeDepth` older ones (n-1 / n-2 downgrade rights). */
export function entitledVersions(versions: readonly string[], downgradeDepth: number): string[] {
  return versions.slice(0, downgradeDepth + 1);
}

/**
 * Validates the operator's catalog file. Every problem names the SKU and the field, so a bad edit
 * stops start-up with a message that says what to fix.
 */
export function parseCatalog(raw: unknown, azureUnavailableMarkets: readonly string[]): Catalog {
  if (!isObject(raw) || !Array.isArray(raw.items)) throw new Error('catalog: expected { "items": [ … ] }');
  // Only the shape is checked: the Azure list names XK (Kosovo), which ISO leaves user-assigned. A
  // code no customer can have never matches, so it is harmless here (config-files.spec checks the list).
  for (const market of azureUnavailableMarkets) {
    if (!isMarketCode(market)) throw new Error(`catalog: "${market}" in the Azure unavailable markets is not an ISO 3166-1 alpha-2 code`);
  }
  const seen = new Set<string>();
  const items = raw.items.map((entry, index) => {
    const sku = parseSku(entry, index, azureUnavailableMarkets);
    if (seen.has(sku.sku)) throw new Error(`catalog: SKU ${sku.sku} appears twice`);
    seen.add(sku.sku);
    return sku;
  });
  const bySku = new Map(items.map((item) => [item.sku, item]));
  return { items, find: (sku) => bySku.get(sku) };
}

function parseSku(entry: unknown, index: number, azure: readonly string[]): Sku {
  const where = (field: string) => `catalog: item ${index}${isObject(entry) && typeof entry.sku === 'string' ? ` (${entry.sku})` : ''}: ${field}`;
  if (!isObject(entry)) throw new Error(where('must be an object'));
  const text = (field: string): string => {
    const value = entry[field];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(where(`${field} must be a non-empty string`));
    return value;
  };
  const texts = (field: string): string[] => {
    const value = entry[field];
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
      throw new Error(where(`${field} must be a non-empty list of strings`));
    }
    if (new Set(value).size !== value.length) throw new Error(where(`${field} has duplicates`));
    return value as string[];
  };

  const sku = text('sku');
  if (!/^[A-Z0-9][A-Z0-9-]{0,63}$/.test(sku)) throw new Error(where('sku must be upper-case letters, digits and dashes'));
  const licenseType = entry.licenseType as LicenseType;
  if (!LICENSE_TYPES.includes(licenseType)) throw new Error(where(`licenseType must be one of ${LICENSE_TYPES.join(', ')}`));
  const termMonths = entry.termMonths;
  if (licenseType === 'subscription' && termMonths !== 12 && termMonths !== 36) throw new Error(where('termMonths must be 12 or 36 for a subscription'));
  if (licenseType === 'perpetual' && termMonths !== undefined) throw new Error(where('termMonths applies to subscriptions only'));

  const price = entry.unitPrice;
  if (!isObject(price) || !Number.isSafeInteger(price.amount) || (price.amount as number) < 0) {
    throw new Error(where('unitPrice.amount must be a non-negative integer in minor units'));
  }
  if (typeof price.currency !== 'string' || !/^[A-Z]{3}$/.test(price.currency)) throw new Error(where('unitPrice.currency must be an ISO 4217 code'));

  const versions = texts('versions');
  const downgradeDepth = entry.downgradeDepth;
  if (downgradeDepth !== 0 && downgradeDepth !== 1 && downgradeDepth !== 2) throw new Error(where('downgradeDepth must be 0, 1 or 2'));
  if (downgradeDepth > versions.length - 1) throw new Error(where(`downgradeDepth ${downgradeDepth} needs at least ${downgradeDepth + 1} versions`));
  const cancellationClass = entry.cancellationClass as CancellationClass;
  if (!CANCELLATION_CLASSES.includes(cancellationClass)) throw new Error(where(`cancellationClass must be one of ${CANCELLATION_CLASSES.join(', ')}`));

  let unavailableMarkets: string[] = [];
  if (entry.unavailableMarkets === AZURE_UNAVAILABLE_MARKETS_REF) unavailableMarkets = [...azure];
  else if (entry.unavailableMarkets !== undefined) {
    unavailableMarkets = texts('unavailableMarkets');
    const bad = unavailableMarkets.find((m) => !isMarketCode(m));
    if (bad) throw new Error(where(`unavailableMarkets: "${bad}" is not an ISO 3166-1 alpha-2 code`));
  }

  return {
    sku,
    family: text('family'),
    name: text('name'),
    licenseType,
    ...(licenseType === 'subscription' ? { termMonths: termMonths as 12 | 36 } : {}),
    unitPrice: { amount: price.amount as number, currency: price.currency },
    versions,
    languages: texts('languages'),
    fileTypes: texts('fileTypes'),
    downgradeDepth,
    cancellationClass,
    unavailableMarkets,
  };
}
