import { randomBytes, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { invalid, notFound } from '@csp/domain';
import { parsePosition, type EventStore } from '@csp/event-store';
import { ProductKeyVault, WebhookDestinations } from '@csp/security';
import type { Clock } from '@csp/config';
import { eventMetadata, type CommandContext } from '../context';
import { CLOCK, EVENT_STORE, WEBHOOK_DESTINATIONS } from '../tokens';
import { webhookStreamId, type WebhookDeliveryDeadLettered, type WebhookRegistered, type WebhookReplayRequested } from './webhook-events';

export class RegisterWebhookCommand {
  constructor(
    readonly context: CommandContext,
    readonly url: string,
    readonly eventTypes?: string[],
  ) {}
}
export class ReplayWebhookCommand {
  constructor(
    readonly context: CommandContext,
    readonly webhookId: string,
    readonly fromPosition: string,
  ) {}
}
export class GetWebhookDeadLettersQuery {
  constructor(readonly webhookId: string) {}
}

@CommandHandler(RegisterWebhookCommand)
export class RegisterWebhookHandler implements ICommandHandler<RegisterWebhookCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly vault: ProductKeyVault,
    @Inject(WEBHOOK_DESTINATIONS) private readonly destinations: WebhookDestinations,
  ) {}

  async execute({ context, url, eventTypes }: RegisterWebhookCommand) {
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
    const event: WebhookRegistered = {
      type: 'WebhookRegistered',
      data: {
        webhookId,
        url: parsed.toString(),
        ...(eventTypes?.length ? { eventTypes } : {}),
        secret: this.vault.encrypt(secret, { orderId: webhookId, keyId: 'webhook-secret' }),
        registeredAt: now.toISOString(),
        registeredBy: { sub: context.actor.sub, tid: context.actor.tid, roles: [...context.actor.roles] },
      },
    };
    await this.store.append(webhookStreamId(webhookId), [{ eventId: randomUUID(), type: event.type, data: event.data, metadata: eventMetadata(context, now, {}, event.type) }], 'no_stream');
    return { webhookId, url: event.data.url, eventTypes: eventTypes ?? [], secret, signature: 'X-CSP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>' };
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
    if ((await this.store.readStream(webhookStreamId(webhookId), { maxCount: 1 })).length === 0) throw notFound('webhook_not_found', 'No such webhook');
    const now = this.clock.now();
    const event: WebhookReplayRequested = { type: 'WebhookReplayRequested', data: { webhookId, fromPosition, at: now.toISOString() } };
    await this.store.append(webhookStreamId(webhookId), [{ eventId: randomUUID(), type: event.type, data: event.data, metadata: eventMetadata(context, now, {}, event.type) }], 'stream_exists');
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
