import type { Selection } from '@csp/domain';
import type { CommandContext } from '../context';

export class PurchaseSoftwareCommand {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
    readonly lines: readonly { sku: string; quantity: number }[],
    readonly idempotencyKey?: string,
  ) {}
}

export class RevealKeyCommand {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly selection: Selection,
    readonly keyType?: string,
  ) {}
}

export class IssueDownloadLinkCommand {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly selection: Selection,
    /** Scheme and host the link URL starts with. */
    readonly baseUrl: string,
  ) {}
}

export class RecordDownloadCommand {
  constructor(
    readonly token: string,
    readonly client: { ip?: string; userAgent?: string },
    readonly correlationId: string,
    readonly requestId: string,
  ) {}
}

export class CancelOrderCommand {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly reason: string,
    readonly lines?: readonly number[],
  ) {}
}
