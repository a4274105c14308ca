import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { customerRegistryStream, findCustomer } from '@csp/customers';
import {
  customerRegistryStreamId,
  decideOrder,
  keyForSelection,
  notFound,
  orderStreamId,
  type EncryptedKeyMaterial,
  type OrderCommand,
  type OrderEvent,
} from '@csp/domain';
import { formatPosition, type AppendResult, type EventStore } from '@csp/event-store';
import { fingerprintProductKey, generateProductKey, hashLinkSecret, newLinkToken, parseLinkToken, ProductKeyVault, TenantKeyring } from '@csp/security';
import type { Clock } from '@csp/config';
import { assertAllowed, eventMetadata, type CommandContext } from '../context';
import { requestHash, uuidV5 } from '../ids';
import type { ReferenceData } from '../reference-data';
import { StreamRepository, type Loaded } from '../stream-repository';
import { CLOCK, EVENT_STORE, REFERENCE_DATA } from '../tokens';
import { KeyAccessThrottle } from '../throttling/key-access-throttle';
import { orderResource, orderStatusOf, orderStream, orderView, type OrderStreamState } from './order-stream';
import { CheckDownloadLinkQuery } from './order-queries';
import {
  CancelOrderCommand,
  IssueDownloadLinkCommand,
  PurchaseSoftwareCommand,
  RecordDownloadCommand,
  RevealKeyCommand,
  type Download,
  type IssuedDownloadLink,
  type OrderCancellation,
  type Purchase,
  type RevealedKey,
} from './order-commands';

/** Stands in for a new key when only asking whether the domain would refuse a reveal. */
const UNSEALED_PLACEHOLDER = {
  keyId: 'placeholder',
  fingerprint: 'placeholder',
  material: { alg: 'A256GCM', kid: 'none', iv: '', tag: '', ciphertext: '' } as EncryptedKeyMaterial,
};

const position = (append: AppendResult | undefined) => (append ? formatPosition(append.position) : undefined);

/** Shared by the order handlers: decide a command on an order stream the caller may act on. */
abstract class OrderHandler {
  constructor(
    protected readonly repository: StreamRepository,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(REFERENCE_DATA) protected readonly reference: ReferenceData,
  ) {}

  protected async decide(
    orderId: string,
    context: CommandContext,
    authorise: ((state: OrderStreamState) => void) | undefined,
    command: (now: string) => OrderCommand,
    assume?: Loaded<OrderStreamState>,
  ) {
    const now = this.clock.now();
    return this.repository.execute(
      orderStreamId(orderId),
      orderStream,
      (state) => {
        authorise?.(state);
        return decideOrder(command(now.toISOString()), state.domain, this.reference);
      },
      {
        metadata: (event: OrderEvent) => {
          const ref = 'partnerTenantId' in event.data ? event.data : undefined;
          return eventMetadata(context, now, { tenantId: ref?.customerTenantId, partnerTenantId: ref?.partnerTenantId }, event.type);
        },
        ...(assume && { assume }),
      },
    );
  }
}

@CommandHandler(PurchaseSoftwareCommand)
export class PurchaseSoftwareHandler extends OrderHandler implements ICommandHandler<PurchaseSoftwareCommand> {
  constructor(
    repository: StreamRepository,
    @Inject(CLOCK) clock: Clock,
    @Inject(REFERENCE_DATA) reference: ReferenceData,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    super(repository, clock, reference);
  }

  async execute({ context, customerId, lines, idempotencyKey }: PurchaseSoftwareCommand): Promise<Purchase> {
    const { actor } = context;
    // A partner's customers live in its own registry: another partner's customer is simply not there (404).
    const registry = await this.repository.load(customerRegistryStreamId(actor.tid), customerRegistryStream);
    const customer = findCustomer(registry.state, customerId);
    assertAllowed('order.purchase', actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    const requestLines = lines.map(({ sku, quantity }) => ({ sku, quantity }));
    // The order id is derived from (partner, idempotency key): a retry meets the existing stream.
    const orderId = idempotencyKey !== undefined ? uuidV5(`${actor.tid}:${idempotencyKey}`) : randomUUID();
    const hash = idempotencyKey !== undefined ? requestHash({ customerId, lines: requestLines }) : undefined;
    // Without a key the id is new: nothing to read (a retry with a key must find its order).
    const fresh = idempotencyKey === undefined ? { state: orderStream.initialState, revision: 'no_stream' as const } : undefined;
    const result = await this.decide(
      orderId,
      context,
      undefined,
      (now) => ({
        type: 'PurchaseSoftware',
        data: {
          orderId,
          customer: { customerId: customer!.customerId, tenantId: customer!.tenantId, partnerTenantId: customer!.partnerTenantId, market: customer!.market },
          lines: requestLines,
          ...(idempotencyKey !== undefined ? { idempotencyKey, requestHash: hash } : {}),
        },
        metadata: { actor, now },
      }),
      fresh,
    );
    let at = position(result.append);
    if (at === undefined) {
      const [first] = await this.store.readStream(orderStreamId(orderId), { maxCount: 1 });
      at = first && formatPosition(first.position);
    }
    return { created: result.events.length > 0, order: { ...orderView(result.state), position: at } };
  }
}

@CommandHandler(RevealKeyCommand)
export class RevealKeyHandler extends OrderHandler implements ICommandHandler<RevealKeyCommand> {
  constructor(
    repository: StreamRepository,
    @Inject(CLOCK) clock: Clock,
    @Inject(REFERENCE_DATA) reference: ReferenceData,
    private readonly vault: ProductKeyVault,
    private readonly keyring: TenantKeyring,
    private readonly throttle: KeyAccessThrottle,
  ) {
    super(repository, clock, reference);
  }

  async execute({ context, orderId, selection, keyType }: RevealKeyCommand): Promise<RevealedKey> {
    await this.throttle.check('reveal-key', context, orderId);
    const loaded = await this.repository.load(orderStreamId(orderId), orderStream);
    const current = loaded.state;
    assertAllowed('order.revealKey', context.actor, orderResource(current), 'order');
    const revealCommand = (now: string, newKey: { keyId: string; fingerprint: string; material: EncryptedKeyMaterial }): OrderCommand => ({
      type: 'RevealKey',
      data: { orderId, ...selection, ...(keyType !== undefined ? { keyType } : {}), newKey },
      metadata: { actor: context.actor, now },
    });
    // Whatever the domain refuses (KMS, a line or version the order does not have, a cancelled
    // line) is refused before any key material is touched: a refused reveal must not create the
    // tenant's data key nor spend a decryption. The decision proper comes after, on fresh state.
    decideOrder(revealCommand(this.clock.now().toISOString(), UNSEALED_PLACEHOLDER), current.domain, this.reference);
    const tenantId = current.purchase!.customerTenantId;
    const reveal = (material: EncryptedKeyMaterial, id: string) =>
      // Material from before envelope encryption was sealed with the key-encryption key itself.
      material.dek ? this.keyring.decrypt(material, { tenantId, orderId, keyId: id }) : Promise.resolve(this.vault.decrypt(material, { orderId, keyId: id }));
    // Decrypt or encrypt before deciding: a tenant whose key material was destroyed gets a 410 and no reveal is recorded.
    const existing = keyForSelection(current.domain, selection);
    const keyId = randomUUID();
    const candidate = existing ? await reveal(existing.material, existing.keyId) : generateProductKey();
    const newKey = {
      keyId,
      fingerprint: fingerprintProductKey(candidate),
      material: existing ? existing.material : await this.keyring.encrypt(candidate, { tenantId, orderId, keyId }),
    };
    const result = await this.decide(
      orderId,
      context,
      (state) => assertAllowed('order.revealKey', context.actor, orderResource(state), 'order'),
      (now) => revealCommand(now, newKey),
      // The order as just read: deciding on it saves a second read (a change since is a conflict, then a reload).
      loaded,
    );
    const key = keyForSelection(result.state.domain, selection);
    if (!key) throw new Error('The decider revealed no key for the selection');
    const revealed = result.events.find((e) => e.type === 'ProductKeyRevealed');
    // Another request may have assigned this selection's key first: answer with the one recorded.
    const productKey = key.keyId === (existing?.keyId ?? keyId) ? candidate : await reveal(key.material, key.keyId);
    return {
      productKey,
      keyType: 'MAK',
      keyId: key.keyId,
      fingerprint: key.fingerprint,
      orderId,
      ...selection,
      sku: result.state.purchase!.lines.find((l) => l.line === selection.line)?.sku,
      revealedAt: revealed && 'revealedAt' in revealed.data ? revealed.data.revealedAt : undefined,
      position: position(result.append),
    };
  }
}

@CommandHandler(IssueDownloadLinkCommand)
export class IssueDownloadLinkHandler extends OrderHandler implements ICommandHandler<IssueDownloadLinkCommand> {
  constructor(
    repository: StreamRepository,
    @Inject(CLOCK) clock: Clock,
    @Inject(REFERENCE_DATA) reference: ReferenceData,
    private readonly throttle: KeyAccessThrottle,
  ) {
    super(repository, clock, reference);
  }

  async execute({ context, orderId, selection, baseUrl }: IssueDownloadLinkCommand): Promise<IssuedDownloadLink> {
    await this.throttle.check('issue-download-link', context, orderId);
    const linkId = randomUUID();
    const { token, tokenHash } = newLinkToken(orderId);
    const result = await this.decide(
      orderId,
      context,
      (state) => assertAllowed('order.issueDownloadLink', context.actor, orderResource(state), 'order'),
      (now) => ({ type: 'IssueDownloadLink', data: { orderId, ...selection, linkId, tokenHash }, metadata: { actor: context.actor, now } }),
    );
    const issued = result.events.find((e) => e.type === 'DownloadLinkIssued');
    if (!issued || issued.type !== 'DownloadLinkIssued') throw new Error('The decider issued no link');
    return {
      linkId,
      url: `${baseUrl}/v1/downloads/${token}`,
      expiresAt: issued.data.expiresAt,
      downloadsRemaining: issued.data.maxDownloads,
      maxDownloads: issued.data.maxDownloads,
      orderId,
      ...selection,
      issuedAt: issued.data.issuedAt,
      position: position(result.append),
    };
  }
}

/** A download through a link: the order the token names, and the command the domain decides. */
function downloadThrough(token: string, client: RecordDownloadCommand['client']) {
  const parsed = parseLinkToken(token);
  if (!parsed) throw notFound('link_not_found', 'No such download link');
  const actor = { sub: 'download-link', tid: parsed.orderId, roles: [] };
  return {
    orderId: parsed.orderId,
    actor,
    authorise: (state: OrderStreamState) => {
      if (!state.purchase) throw notFound('link_not_found', 'No such download link');
    },
    command: (now: string): OrderCommand => ({
      type: 'RecordDownload',
      data: { orderId: parsed.orderId, tokenHash: hashLinkSecret(parsed.secret), client },
      metadata: { actor, now },
    }),
  };
}

/** What a download answers, from the SoftwareDownloaded event the domain decided. */
function downloadView(events: readonly OrderEvent[], state: OrderStreamState): Download {
  const downloaded = events.find((e) => e.type === 'SoftwareDownloaded');
  if (!downloaded || downloaded.type !== 'SoftwareDownloaded') throw new Error('The decider recorded no download');
  const { data } = downloaded;
  const line = state.purchase!.lines.find((l) => l.line === data.line);
  return {
    linkId: data.linkId,
    orderId: data.orderId,
    sku: data.sku,
    name: line?.name,
    line: data.line,
    version: data.version,
    language: data.language,
    fileType: data.fileType,
    fileName: `${data.sku}-${data.version}-${data.language}-${data.fileType}.iso`.toLowerCase(),
    downloadNumber: data.downloadNumber,
    downloadsRemaining: data.downloadsRemaining,
    downloadedAt: data.downloadedAt,
  };
}

@CommandHandler(RecordDownloadCommand)
export class RecordDownloadHandler extends OrderHandler implements ICommandHandler<RecordDownloadCommand> {
  async execute({ token, client, correlationId, requestId }: RecordDownloadCommand): Promise<Download> {
    const download = downloadThrough(token, client);
    const context: CommandContext = { actor: download.actor, correlationId, requestId };
    const result = await this.decide(download.orderId, context, download.authorise, download.command);
    return downloadView(result.events, result.state);
  }
}

/**
 * What a download through the link would answer now — the same refusals (404, 410) and the same
 * view — decided by the domain but not appended: nothing is counted or recorded (a HEAD).
 */
@QueryHandler(CheckDownloadLinkQuery)
export class CheckDownloadLinkHandler implements IQueryHandler<CheckDownloadLinkQuery> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly reference: ReferenceData,
  ) {}

  async execute({ token }: CheckDownloadLinkQuery): Promise<Download> {
    const download = downloadThrough(token, {});
    const { state } = await this.repository.load(orderStreamId(download.orderId), orderStream);
    download.authorise(state);
    return downloadView(decideOrder(download.command(this.clock.now().toISOString()), state.domain, this.reference), state);
  }
}

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler extends OrderHandler implements ICommandHandler<CancelOrderCommand> {
  async execute({ context, orderId, reason, lines }: CancelOrderCommand): Promise<OrderCancellation> {
    const result = await this.decide(
      orderId,
      context,
      (state) => assertAllowed('order.cancel', context.actor, orderResource(state), 'order'),
      (now) => ({
        type: 'CancelOrder',
        data: { orderId, reason, ...(lines !== undefined ? { lines: [...lines] } : {}) },
        metadata: { actor: context.actor, now },
      }),
    );
    const cancelled = result.events.find((e) => e.type === 'OrderCancelled');
    if (!cancelled || cancelled.type !== 'OrderCancelled') throw new Error('The decider cancelled nothing');
    const { data } = cancelled;
    return {
      orderId,
      status: orderStatusOf(result.state) as OrderCancellation['status'],
      cancelledAt: data.cancelledAt,
      credits: data.lines.map((line) => ({ line: line.line, amount: line.credit.amount, currency: line.credit.currency, invoiceMonth: data.invoiceMonth })),
      revokedKeys: result.events
        .filter((e) => e.type === 'ProductKeysRevoked')
        .flatMap((e) => ('keys' in e.data ? e.data.keys.length : 0))
        .reduce((a, b) => a + b, 0),
      revokedLinks: result.events
        .filter((e) => e.type === 'DownloadLinksRevoked')
        .flatMap((e) => ('links' in e.data ? e.data.links.length : 0))
        .reduce((a, b) => a + b, 0),
      position: position(result.append),
    };
  }
}
