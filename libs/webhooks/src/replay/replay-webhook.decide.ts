import { instantMs, isoOf, type Command } from '@csp/domain';
import type { WebhookReplayRequested, WebhookState } from '../webhook.events';
import { assertRegistered } from '../webhook.rules';

/** Deliver again from a position (an event store position, checked by the caller). */
export type RequestWebhookReplay = Command<'RequestWebhookReplay', { webhookId: string; fromPosition: string }>;

export function decideRequestWebhookReplay(command: RequestWebhookReplay, state: WebhookState): WebhookReplayRequested[] {
  const at = isoOf(instantMs(command.metadata.now, 'now'));
  assertRegistered(state);
  return [{ type: 'WebhookReplayRequested', data: { webhookId: command.data.webhookId, fromPosition: command.data.fromPosition, at } }];
}
