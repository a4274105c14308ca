import type { Money } from '../shared/money';

/** `perpetual` licence, or software `subscription` with a term of 12 or 36 months. */
export type LicenseType = 'perpetual' | 'subscription';
/**
 * standard: cancellable inside the policy window; support-request: a direct cancel is refused
 * and a refund request must be filed (e.g. Windows 7 ESU); non-cancellable: neither (SUSE, Red Hat plans).
 */
export type CancellationClass = 'standard' | 'support-request' | 'non-cancellable';

export interface Sku {
  readonly sku: string;
  readonly family: string;
  readonly name: string;
  readonly licenseType: LicenseType;
  /** Only for subscriptions: 12 or 36. */
  readonly termMonths?: 12 | 36;
  readonly unitPrice: Money;
  /** Newest first; versions[0] is the version sold. */
  readonly versions: readonly string[];
  readonly languages: readonly string[];
  readonly fileTypes: readonly string[];
  /** How many versions older than the one sold may be chosen: 0, 1 or 2 (n-1 / n-2). */
  readonly downgradeDepth: 0 | 1 | 2;
  readonly cancellationClass: CancellationClass;
  /** ISO 3166-1 alpha-2 codes where the SKU cannot be sold. */
  readonly unavailableMarkets: readonly string[];
}
