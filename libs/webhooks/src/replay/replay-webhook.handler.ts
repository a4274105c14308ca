import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { invalid, webhookStreamId } from '@csp/domain';
import { formatPosition, parsePosition, type EventStore } from '@csp/event-store';
import type { Clock } from '@csp/config';
import { CLOCK, EVENT_STORE, type CommandContext } from '@csp/application';
import { evolveWebhook, initialWebhookState, type WebhookEvent } from '../webhook.events';
import { decideAndAppend } from '../webhook-stream';

/** The largest position a store can hold (unsigned 64-bit). */
const MAX_POSITION = 2n ** 64n - 1n;

export class ReplayWebhookCommand extends Command<{ webhookId: string; fromPosition: string }> {
  constructor(
    readonly context: CommandContext,
    readonly webhookId: string,
    readonly fromPosition: string,
  ) {
    super();
  }
}

@CommandHandler(ReplayWebhookCommand)
export class ReplayWebhookHandler implements ICommandHandler<ReplayWebhookCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, webhookId, fromPosition: given }: ReplayWebhookCommand) {
    const parsed = parsePosition(given);
    // Positions are 64-bit: beyond that it is not one. Stored as the store spells it, not as typed.
    if (!parsed || parsed.commit > MAX_POSITION || parsed.prepare > MAX_POSITION) {
      throw invalid('invalid_position', 'fromPosition must be an event position', { field: 'fromPosition' });
    }
    const fromPosition = formatPosition(parsed);
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
