import { randomBytes, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { invalid } from '@csp/domain';
import type { EventStore } from '@csp/event-store';
import { ProductKeyVault } from '@csp/security';
import type { Clock } from '@csp/config';
import { CLOCK, EVENT_STORE, type CommandContext } from '@csp/application';
import type { WebhookDestinations } from '../delivery/destinations';
import { WEBHOOK_DESTINATIONS } from '../tokens';
import type { WebhookCommand } from '../webhook.decide';
import { initialWebhookState } from '../webhook.events';
import { decideAndAppend } from '../webhook-stream';

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
