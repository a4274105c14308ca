import type { CancellationClass, LicenseType } from '../catalog/sku';
import type { CancellationPolicy } from '../policy/cancellation-policy';
import type { Money } from '../shared/money';
import type { DomainEvent } from '../shared/command';

/** Who did it, as recorded inside audit facts (also in every event's metadata). */
export interface AccessedBy {
  sub: string;
  tid: string;
  roles: string[];
}

/** What every order event repeats so that consumers need no lookup to route or scope it. */
export interface OrderRef {
  orderId: string;
  customerId: string;
  customerTenantId: string;
  partnerTenantId: string;
}

export interface Selection {
  line: number;
  version: string;
  language: string;
  fileType: string;
}

export interface PurchasedLine {
  /** Numbered from 1 in request order. */
  line: number;
  sku: string;
  family: string;
  name: string;
  licenseType: LicenseType;
  termMonths?: number;
  quantity: number;
  /** Unit price and amount (unitPrice × quantity) in integer minor units of `currency`. */
  unitPrice: number;
  amount: number;
  currency: string;
  /** The catalog's versions at purchase, newest first; versions[0] is the version bought. */
  versions: string[];
  languages: string[];
  fileTypes: string[];
  downgradeDepth: number;
  cancellationClass: CancellationClass;
}

/** AES-256-GCM ciphertext of a product key; the plain key never enters the event store. */
export interface EncryptedKeyMaterial {
  alg: 'A256GCM';
  /** Id of the key-encryption key (from configuration) that wraps the data key, so KEKs can rotate. */
  kid: string;
  /** Id of the customer tenant's data key that encrypted this key (envelope encryption). */
  dek?: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Stream `order-<orderId>`. */
export type SoftwarePurchased = DomainEvent<
  'SoftwarePurchased',
  OrderRef & {
    market: string;
    /** True where prices include taxes (AU, BR). */
    taxInclusive: boolean;
    lines: PurchasedLine[];
    /** The policy entry in force at purchasedAt, copied so it governs this order forever. */
    policy: CancellationPolicy;
    purchasedAt: string;
    purchasedBy: AccessedBy;
    idempotencyKey?: string;
    /** SHA-256 of the canonical request, to refuse a reused idempotency key with another body. */
    requestHash?: string;
  }
>;

/** A MAK key was assigned to a selection (first reveal of it). Only ciphertext and fingerprint. */
export type ProductKeyAssigned = DomainEvent<
  'ProductKeyAssigned',
  OrderRef &
    Selection & {
      sku: string;
      keyId: string;
      keyType: 'MAK';
      fingerprint: string;
      material: EncryptedKeyMaterial;
      assignedAt: string;
    }
>;

/** Every reveal, first or repeated, is an audited access. */
export type ProductKeyRevealed = DomainEvent<
  'ProductKeyRevealed',
  OrderRef &
    Selection & {
      sku: string;
      keyId: string;
      fingerprint: string;
      revealedAt: string;
      revealedBy: AccessedBy;
    }
>;

export type DownloadLinkIssued = DomainEvent<
  'DownloadLinkIssued',
  OrderRef &
    Selection & {
      sku: string;
      linkId: string;
      /** SHA-256 (hex) of the link's secret token; the token itself is never stored. */
      tokenHash: string;
      issuedAt: string;
      /** issuedAt + 14 days; the link is dead from this instant on. */
      expiresAt: string;
      maxDownloads: number;
      issuedBy: AccessedBy;
    }
>;

export interface DownloadClient {
  /** The bearer's user id when the download was made with a token, if any. */
  sub?: string;
  ip?: string;
  userAgent?: string;
}

export type SoftwareDownloaded = DomainEvent<
  'SoftwareDownloaded',
  OrderRef &
    Selection & {
      sku: string;
      linkId: string;
      downloadedAt: string;
      /** 1 for the first download through this link … 50 for the last allowed. */
      downloadNumber: number;
      downloadsRemaining: number;
      client: DownloadClient;
    }
>;

export interface CancelledLine {
  line: number;
  sku: string;
  licenseType: LicenseType;
  amount: number;
  credit: Money;
}

export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  OrderRef & {
    lines: CancelledLine[];
    /** True when no active line is left after this cancellation. */
    wholeOrder: boolean;
    reason: string;
    cancelledAt: string;
    cancelledBy: AccessedBy;
    /** YYYY-MM: the calendar month after cancelledAt (UTC), whose invoice carries the credit. */
    invoiceMonth: string;
  }
>;

export type ProductKeysRevoked = DomainEvent<
  'ProductKeysRevoked',
  OrderRef & {
    keys: { keyId: string; line: number; fingerprint: string }[];
    revokedAt: string;
    reason: 'order-cancelled';
  }
>;

export type DownloadLinksRevoked = DomainEvent<
  'DownloadLinksRevoked',
  OrderRef & {
    links: { linkId: string; line: number }[];
    revokedAt: string;
    reason: 'order-cancelled';
  }
>;

export type CreditSource =
  | { type: 'cancellation'; orderId: string; line: number }
  | { type: 'refund-request'; refundRequestId: string; orderId?: string };

/** A credit on the partner's next monthly invoice. Emitted by cancellations and approved refund requests. */
export type CreditIssued = DomainEvent<
  'CreditIssued',
  {
    creditId: string;
    source: CreditSource;
    partnerTenantId: string;
    customerId?: string;
    customerTenantId?: string;
    orderId?: string;
    line?: number;
    sku?: string;
    family?: string;
    amount: number;
    currency: string;
    taxInclusive: boolean;
    invoiceMonth: string;
    issuedAt: string;
  }
>;

export type OrderEvent =
  | SoftwarePurchased
  | ProductKeyAssigned
  | ProductKeyRevealed
  | DownloadLinkIssued
  | SoftwareDownloaded
  | OrderCancelled
  | ProductKeysRevoked
  | DownloadLinksRevoked
  | CreditIssued;
