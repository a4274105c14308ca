import { randomBytes, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decideWebhook, evolveWebhook, initialWebhookState, invalid, notFound, type WebhookCommand, type WebhookEvent, type WebhookState } from '@csp/domain';
import { parsePosition, type EventStore, type ExpectedRevision } from '@csp/event-store';
import { ProductKeyVault, WebhookDestinations } from '@csp/security';
import type { Clock } from '@csp/config';
import { eventMetadata, type CommandContext } from '../context';
import { CLOCK, EVENT_STORE, WEBHOOK_DESTINATIONS } from '../tokens';
import { webhookStreamId, type WebhookDeliveryDeadLettered } from './webhook-events';

/** A registration as answered once: the signing secret is shown here and never again. */
export interface RegisteredWebhook {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly secret: string;
  readonly signature: string;
}

export class RegisterWebhookCommand extends Command<RegisteredWebhook> {
  constructor(
    readonly context: CommandContext,
    readonly url: string,
    readonly eventTypes?: string[],
  ) {
    super();
  }
}
export class ReplayWebhookCommand extends Command<{ webhookId: string; fromPosition: string }> {
  constructor(
    readonly context: CommandContext,
    readonly webhookId: string,
    readonly fromPosition: string,
  ) {
    super();
  }
}
export class GetWebhookDeadLettersQuery extends Query<{ webhookId: string; items: WebhookDeliveryDeadLettered['data'][] }> {
  constructor(readonly webhookId: string) {
    super();
  }
}

/** Decides a webhook command and appends what the domain decided to the webhook's stream. */
async function decideAndAppend(
  store: EventStore,
  context: CommandContext,
  now: Date,
  command: WebhookCommand,
  state: WebhookState,
  expected: ExpectedRevision,
): Promise<WebhookEvent[]> {
  const events = decideWebhook(command, state);
  await store.append(
    webhookStreamId(command.data.webhookId),
    events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: eventMetadata(context, now, {}, event.type) })),
    expected,
  );
  return events;
}

@CommandHandler(RegisterWebhookCommand)
export class RegisterWebhookHandler implements ICommandHandler<RegisterWebhookCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly vault: ProductKeyVault,
    @Inject(WEBHOOK_DESTINATIONS) private readonly destinations: WebhookDestinations,
  ) {}

  async execute({ context, url, eventTypes }: RegisterWebhookCommand): Promise<RegisteredWebhook> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid('invalid_url', 'url must be an absolute http(s) URL', { field: 'url' });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('invalid_url', 'url must be an http(s) URL', { field: 'url' });
    // A host that does not resolve now is kept: its receiver may not be in DNS yet, and every
    // delivery checks the addresses it resolves to then (DNS can change after registration anyway).
    const destination = await this.destinations.check(parsed);
    if (!destination.allowed && destination.reason === 'not_allowed') {
      throw invalid(
        'webhook_url_not_allowed',
        `url must not point at a loopback, private, link-local, unspecified, multicast or reserved address (${destination.message}); an operator can allow internal receivers with WEBHOOK_ALLOWED_HOSTS`,
        { field: 'url' },
      );
    }
    const webhookId = randomUUID();
    // The signing secret is shown once, here; the store keeps it encrypted under the key-encryption key.
    const secret = randomBytes(32).toString('hex');
    const now = this.clock.now();
    const command: WebhookCommand = {
      type: 'RegisterWebhook',
      data: {
        webhookId,
        url: parsed.toString(),
        ...(eventTypes ? { eventTypes } : {}),
        secret: this.vault.encrypt(secret, { orderId: webhookId, keyId: 'webhook-secret' }),
      },
      metadata: { actor: context.actor, now: now.toISOString() },
    };
    await decideAndAppend(this.store, context, now, command, initialWebhookState, 'no_stream');
    return {
      webhookId,
      url: parsed.toString(),
      eventTypes: eventTypes ?? [],
      secret,
      signature: 'X-CSP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>',
    };
  }
}

@CommandHandler(ReplayWebhookCommand)
export class ReplayWebhookHandler implements ICommandHandler<ReplayWebhookCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, webhookId, fromPosition }: ReplayWebhookCommand) {
    if (!parsePosition(fromPosition)) throw invalid('invalid_position', 'fromPosition must be an event position', { field: 'fromPosition' });
    // The registration is the stream's first event: enough to know the webhook exists.
    const first = await this.store.readStream(webhookStreamId(webhookId), { maxCount: 1 });
    const state = first.map((e) => ({ type: e.type, data: e.data }) as WebhookEvent).reduce(evolveWebhook, initialWebhookState);
    const now = this.clock.now();
    await decideAndAppend(
      this.store,
      context,
      now,
      { type: 'RequestWebhookReplay', data: { webhookId, fromPosition }, metadata: { actor: context.actor, now: now.toISOString() } },
      state,
      'stream_exists',
    );
    return { webhookId, fromPosition };
  }
}

@QueryHandler(GetWebhookDeadLettersQuery)
export class GetWebhookDeadLettersHandler implements IQueryHandler<GetWebhookDeadLettersQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ webhookId }: GetWebhookDeadLettersQuery) {
    const events = await this.store.readStream(webhookStreamId(webhookId));
    if (events.length === 0) throw notFound('webhook_not_found', 'No such webhook');
    return { webhookId, items: events.filter((e) => e.type === 'WebhookDeliveryDeadLettered').map((e) => e.data as WebhookDeliveryDeadLettered['data']) };
  }
}
