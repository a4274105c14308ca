import type { AccessedBy, CancellationClass, CancellationPolicy, DomainEvent, EncryptedKeyMaterial, LicenseType, Money } from '@csp/domain';

/** What every order event repeats so that consumers need no lookup to route or scope it. */
export interface OrderRef {
  /** The order (UUID); its stream is `order-<orderId>`. */
  orderId: string;
  /** The product's id of the customer the order is for. */
  customerId: string;
  /** The customer's tenant id. */
  customerTenantId: string;
  /** The partner tenant that sells to the customer. */
  partnerTenantId: string;
}

/** Which software a key or link is for: an order line and one of its versions, languages and file types. */
export interface Selection {
  /** Order line, numbered from 1. */
  line: number;
  /** The version bought or, within the downgrade rights, one or two versions older. */
  version: string;
  /** Language code, e.g. `en-us`. */
  language: string;
  /** File type / bitness, e.g. `x64`. */
  fileType: string;
}

export interface PurchasedLine {
  /** Numbered from 1 in request order. */
  line: number;
  /** Catalog SKU id. */
  sku: string;
  /** Product family, e.g. `Windows Server`. */
  family: string;
  /** Product name as the catalog showed it at purchase. */
  name: string;
  licenseType: LicenseType;
  /** Subscriptions only: the term in months (12 or 36). */
  termMonths?: number;
  /** Number of licences, 1–10,000. */
  quantity: number;
  /** Unit price in integer minor units of `currency`. */
  unitPrice: number;
  /** unitPrice × quantity, in integer minor units of `currency`. */
  amount: number;
  /** ISO 4217 code. */
  currency: string;
  /** The catalog's versions at purchase, newest first; versions[0] is the version bought. */
  versions: string[];
  /** Languages available, e.g. `en-us`. */
  languages: string[];
  /** File types / bitness available, e.g. `x64`. */
  fileTypes: string[];
  /** How many versions older than the one bought may be chosen: 0, 1 or 2 (n-1 / n-2 downgrade rights). */
  downgradeDepth: number;
  /** `standard`: cancellable inside the policy window; `support-request`: only by refund request; `non-cancellable`. */
  cancellationClass: CancellationClass;
}

/**
 * A partner admin agent bought software for a customer: an order with one or more lines. The
 * event records everything the order's later rights depend on — prices, tax-inclusiveness and the
 * cancellation policy in force at the purchase instant — so catalog or policy changes never
 * rewrite an existing order.
 *
 * @stream order-<orderId> — one stream per order; every later event of the order follows in it
 */
export type SoftwarePurchased = DomainEvent<
  'SoftwarePurchased',
  OrderRef & {
    /** The customer's market (ISO 3166-1 alpha-2) at purchase. */
    market: string;
    /** True where prices include taxes (AU, BR). */
    taxInclusive: boolean;
    /** The order lines, numbered from 1 in request order (1–100 lines). */
    lines: PurchasedLine[];
    /** The policy entry in force at purchasedAt, copied so it governs this order forever. */
    policy: CancellationPolicy;
    /** ISO-8601 UTC instant of the purchase; cancellation windows are measured from it. */
    purchasedAt: string;
    /** The admin agent who bought. */
    purchasedBy: AccessedBy;
    /** The client's idempotency key: retrying with it answers with this order instead of buying again. */
    idempotencyKey?: string;
    /** SHA-256 of the canonical request, to refuse a reused idempotency key with another body. */
    requestHash?: string;
  }
>;

/**
 * A MAK (multiple activation) product key was assigned to a selection, on its first reveal; later
 * reveals of the same selection return the same key. The plain key never enters the event store:
 * only its AES-256-GCM ciphertext and a fingerprint. Always followed by a ProductKeyRevealed.
 *
 * @stream order-<orderId>
 */
export type ProductKeyAssigned = DomainEvent<
  'ProductKeyAssigned',
  OrderRef &
    Selection & {
      /** Catalog SKU of the order line. */
      sku: string;
      /** Id of the key (UUID). */
      keyId: string;
      /** Always `MAK`: KMS keys are never available through CSP. */
      keyType: 'MAK';
      /** `sha256:<hex>` of the plain key: identifies the key in audits without revealing it. */
      fingerprint: string;
      /** The key, encrypted. */
      material: EncryptedKeyMaterial;
      /** ISO-8601 UTC instant of the assignment. */
      assignedAt: string;
    }
>;

/**
 * Someone was shown a product key. Every reveal, first or repeated, is an audited access: who,
 * from which tenant, with which roles, when, and which key by fingerprint. Part of the key-access
 * history auditors replay.
 *
 * @stream order-<orderId>
 */
export type ProductKeyRevealed = DomainEvent<
  'ProductKeyRevealed',
  OrderRef &
    Selection & {
      /** Catalog SKU of the order line. */
      sku: string;
      /** The key revealed (see ProductKeyAssigned). */
      keyId: string;
      /** `sha256:<hex>` of the plain key. */
      fingerprint: string;
      /** ISO-8601 UTC instant of the reveal. */
      revealedAt: string;
      /** Who was shown the key: a partner admin agent or a customer global administrator. */
      revealedBy: AccessedBy;
    }
>;

/**
 * A download link was issued for a selection. It expires 14 days after issue or after
 * `maxDownloads` downloads, whichever comes first; issuing again for the same selection activates
 * a fresh link. Part of the key-access history auditors replay.
 *
 * @stream order-<orderId>
 */
export type DownloadLinkIssued = DomainEvent<
  'DownloadLinkIssued',
  OrderRef &
    Selection & {
      /** Catalog SKU of the order line. */
      sku: string;
      /** Id of the link (UUID). */
      linkId: string;
      /** SHA-256 (hex) of the link's secret token; the token itself is never stored. */
      tokenHash: string;
      /** ISO-8601 UTC instant of issue. */
      issuedAt: string;
      /** issuedAt + 14 days; the link is dead from this instant on. */
      expiresAt: string;
      /**
       * How many downloads the link allows (50). Version 1 events had no such field (the limit was
       * implicitly 50): they are read with 50.
       * @since 2
       */
      maxDownloads: number;
      /** Who issued the link. */
      issuedBy: AccessedBy;
    }
>;

/** Who or what downloaded through a link. */
export interface DownloadClient {
  /** The bearer's user id when the download was made with a token, if any. */
  sub?: string;
  /** The client's IP address as the service saw it. */
  ip?: string;
  /** The client's User-Agent header, truncated to 200 characters. */
  userAgent?: string;
}

/**
 * Software was downloaded through a link. Only downloads that were served are recorded: a request
 * on an expired, exhausted or revoked link is refused and leaves no event. Part of the key-access
 * history auditors replay.
 *
 * @stream order-<orderId>
 */
export type SoftwareDownloaded = DomainEvent<
  'SoftwareDownloaded',
  OrderRef &
    Selection & {
      /** Catalog SKU of the order line. */
      sku: string;
      /** The link downloaded through. */
      linkId: string;
      /** ISO-8601 UTC instant of the download. */
      downloadedAt: string;
      /** 1 for the first download through this link … maxDownloads for the last allowed. */
      downloadNumber: number;
      /** Downloads the link still allows after this one. */
      downloadsRemaining: number;
      /** Who or what downloaded. */
      client: DownloadClient;
    }
>;

/** One cancelled order line and its credit. */
export interface CancelledLine {
  /** The order line, numbered from 1. */
  line: number;
  /** Catalog SKU of the line. */
  sku: string;
  licenseType: LicenseType;
  /** The line's amount at purchase, in integer minor units. */
  amount: number;
  /**
   * The credit: the whole amount for perpetual licences, prorated by remaining days for
   * subscriptions — capped by what the order has left to credit once approved refund requests
   * credited part of it, so that the order's credits never exceed what its lines were paid (0 when
   * refunds credited everything).
   */
  credit: Money;
}

/**
 * A partner admin agent cancelled an order, whole or some of its lines, inside the cancellation
 * window of the policy recorded at purchase. Followed in the same commit by ProductKeysRevoked and
 * DownloadLinksRevoked (when there are any) and one CreditIssued per cancelled line whose credit is
 * not 0 (a line's credit is 0 only when approved refund requests already credited the order in full).
 *
 * @stream order-<orderId>
 */
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  OrderRef & {
    /** The lines cancelled by this command, with their credits. */
    lines: CancelledLine[];
    /** True when no active line is left after this cancellation. */
    wholeOrder: boolean;
    /** The partner's reason. */
    reason: string;
    /** ISO-8601 UTC instant of the cancellation. */
    cancelledAt: string;
    /** The admin agent who cancelled. */
    cancelledBy: AccessedBy;
    /** YYYY-MM: the calendar month after cancelledAt (UTC), whose invoice carries the credit. */
    invoiceMonth: string;
  }
>;

/** A revoked product key. */
export interface RevokedKey {
  /** The revoked key. */
  keyId: string;
  /** The key's order line. */
  line: number;
  /** `sha256:<hex>` of the plain key. */
  fingerprint: string;
}

/** A revoked download link. */
export interface RevokedLink {
  /** The revoked link. */
  linkId: string;
  /** The link's order line. */
  line: number;
}

/**
 * The keys of cancelled lines were revoked at once: they are no longer shown to anyone.
 *
 * @stream order-<orderId>
 */
export type ProductKeysRevoked = DomainEvent<
  'ProductKeysRevoked',
  OrderRef & {
    /** Every key of the cancelled lines. */
    keys: RevokedKey[];
    /** ISO-8601 UTC instant (the cancellation's). */
    revokedAt: string;
    /** Why: only `order-cancelled` today. */
    reason: 'order-cancelled';
  }
>;

/**
 * The download links of cancelled lines were revoked at once: downloads through them are refused.
 *
 * @stream order-<orderId>
 */
export type DownloadLinksRevoked = DomainEvent<
  'DownloadLinksRevoked',
  OrderRef & {
    /** Every link of the cancelled lines. */
    links: RevokedLink[];
    /** ISO-8601 UTC instant (the cancellation's). */
    revokedAt: string;
    /** Why: only `order-cancelled` today. */
    reason: 'order-cancelled';
  }
>;

/** A credit for a cancelled order line. */
export interface CancellationCreditSource {
  type: 'cancellation';
  /** The cancelled order. */
  orderId: string;
  /** The cancelled line. */
  line: number;
}

/** A credit for an approved refund request. */
export interface RefundRequestCreditSource {
  type: 'refund-request';
  /** The approved refund request. */
  refundRequestId: string;
  /** The order refunded, when the request named one. */
  orderId?: string;
}

export type CreditSource = CancellationCreditSource | RefundRequestCreditSource;

/**
 * A credit on the partner's next monthly invoice (the calendar month after it was issued, UTC).
 * Emitted once per cancelled order line (with a credit above 0), and once per approved refund
 * request. Amounts are exact integer minor units. The credits of one order — cancellations and
 * approved refund requests naming it — are all in the order's stream, in the order's currency,
 * and never add up to more than its lines were paid.
 *
 * @stream order-<orderId> — credits of cancellations, and of approved refund requests that name the order
 * @stream refundRequest-<refundRequestId> — credits of approved refund requests without an order (and of requests naming one that were approved before such credits moved to the order's stream)
 */
export type CreditIssued = DomainEvent<
  'CreditIssued',
  {
    /** Id of the credit: `<orderId>:<line>` for a cancellation, the refund request id for a refund (one credit per request). */
    creditId: string;
    /** What the credit is for. */
    source: CreditSource;
    /** The partner tenant whose invoice carries the credit. */
    partnerTenantId: string;
    /** The customer credited, when known (always for cancellations). */
    customerId?: string;
    /** The customer's tenant id, when known (always for cancellations). */
    customerTenantId?: string;
    /** The order credited, when there is one (always for cancellations). */
    orderId?: string;
    /** The cancelled order line (cancellations only). */
    line?: number;
    /** Catalog SKU (cancellations only). */
    sku?: string;
    /** Product family (cancellations only). */
    family?: string;
    /** Integer minor units of `currency`. */
    amount: number;
    /** ISO 4217 code. */
    currency: string;
    /** Whether the amount includes taxes (purchases in AU and BR). */
    taxInclusive: boolean;
    /** YYYY-MM of the invoice that carries the credit. */
    invoiceMonth: string;
    /** ISO-8601 UTC instant of issue. */
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
