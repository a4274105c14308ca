import { randomUUID } from 'node:crypto';
import { webhookStreamId } from '@csp/domain';
import type { EventStore, ExpectedRevision } from '@csp/event-store';
import { eventMetadata, type CommandContext } from '@csp/application';
import { decideWebhook, type WebhookCommand } from './webhook.decide';
import type { WebhookEvent, WebhookState } from './webhook.events';

/** Decides a webhook command and appends what the domain decided to the webhook's stream. */
export async function decideAndAppend(
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
