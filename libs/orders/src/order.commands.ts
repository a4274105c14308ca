import type { Command, EncryptedKeyMaterial } from '@csp/domain';
import type { DownloadClient, Selection } from './order.events';

export type PurchaseSoftware = Command<
  'PurchaseSoftware',
  {
    orderId: string;
    customer: { customerId: string; tenantId: string; partnerTenantId: string; market: string };
    lines: { sku: string; quantity: number }[];
    idempotencyKey?: string;
    requestHash?: string;
  }
>;

/** The caller generates and encrypts a candidate key; the decider uses it only for a new selection. */
export type RevealKey = Command<
  'RevealKey',
  Selection & {
    orderId: string;
    keyType?: string;
    newKey: { keyId: string; fingerprint: string; material: EncryptedKeyMaterial };
  }
>;

export type IssueDownloadLink = Command<'IssueDownloadLink', Selection & { orderId: string; linkId: string; tokenHash: string }>;

export type RecordDownload = Command<'RecordDownload', { orderId: string; tokenHash: string; client: DownloadClient }>;

export type CancelOrder = Command<'CancelOrder', { orderId: string; reason: string; lines?: number[] }>;

export type OrderCommand = PurchaseSoftware | RevealKey | IssueDownloadLink | RecordDownload | CancelOrder;
