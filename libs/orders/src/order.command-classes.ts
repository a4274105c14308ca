import { Command } from '@nestjs/cqrs';
import type { OrderStatus, Selection } from '@csp/domain';
import type { CommandContext } from '../context';
import type { orderView } from './order-stream';

/** The order as the API shows it (orderView). */
export type OrderView = ReturnType<typeof orderView>;

/** A purchase: the order (the first one again for a retry with the same idempotency key), and whether this call created it. */
export interface Purchase {
  readonly created: boolean;
  readonly order: OrderView & { readonly position: string | undefined };
}

export interface RevealedKey extends Selection {
  readonly productKey: string;
  readonly keyType: 'MAK';
  readonly keyId: string;
  readonly fingerprint: string;
  readonly orderId: string;
  readonly sku: string | undefined;
  readonly revealedAt: string | undefined;
  readonly position: string | undefined;
}

export interface IssuedDownloadLink extends Selection {
  readonly linkId: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly downloadsRemaining: number;
  readonly maxDownloads: number;
  readonly orderId: string;
  readonly issuedAt: string;
  readonly position: string | undefined;
}

/** What a download through a link answers (and what a HEAD on it would). */
export interface Download {
  readonly linkId: string;
  readonly orderId: string;
  readonly sku: string;
  readonly name: string | undefined;
  readonly line: number;
  readonly version: string;
  readonly language: string;
  readonly fileType: string;
  readonly fileName: string;
  readonly downloadNumber: number;
  readonly downloadsRemaining: number;
  readonly downloadedAt: string;
}

export interface OrderCancellation {
  readonly orderId: string;
  /** After a cancellation: never `active` (orderStatus, the one rule). */
  readonly status: Exclude<OrderStatus, 'active'>;
  readonly cancelledAt: string;
  readonly credits: { line: number; amount: number; currency: string; invoiceMonth: string }[];
  readonly revokedKeys: number;
  readonly revokedLinks: number;
  readonly position: string | undefined;
}

export class PurchaseSoftwareCommand extends Command<Purchase> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
    readonly lines: readonly { sku: string; quantity: number }[],
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}

export class RevealKeyCommand extends Command<RevealedKey> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly selection: Selection,
    readonly keyType?: string,
  ) {
    super();
  }
}

export class IssueDownloadLinkCommand extends Command<IssuedDownloadLink> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly selection: Selection,
    /** Scheme and host the link URL starts with. */
    readonly baseUrl: string,
  ) {
    super();
  }
}

export class RecordDownloadCommand extends Command<Download> {
  constructor(
    readonly token: string,
    readonly client: { ip?: string; userAgent?: string },
    readonly correlationId: string,
    readonly requestId: string,
  ) {
    super();
  }
}

export class CancelOrderCommand extends Command<OrderCancellation> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly reason: string,
    readonly lines?: readonly number[],
  ) {
    super();
  }
}
