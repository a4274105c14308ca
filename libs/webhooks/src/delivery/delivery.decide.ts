import { instantMs, isoOf, type Command } from '@csp/domain';
import type { WebhookCheckpointed, WebhookDeliveryDeadLettered, WebhookState } from '../webhook.events';
import { assertRegistered } from '../webhook.rules';

/** The dispatcher delivered everything up to `position`. */
export type CheckpointWebhook = Command<'CheckpointWebhook', { webhookId: string; position: string }>;
/** The dispatcher gave up on an event after its last attempt. */
export type DeadLetterWebhookDelivery = Command<
  'DeadLetterWebhookDelivery',
  { webhookId: string; eventId: string; eventType: string; position: string; attempts: number; lastError: string }
>;

/** The dispatcher's progress on a webhook: a checkpoint, or a dead letter. */
export function decideDelivery(
  command: CheckpointWebhook | DeadLetterWebhookDelivery,
  state: WebhookState,
): (WebhookCheckpointed | WebhookDeliveryDeadLettered)[] {
  const at = isoOf(instantMs(command.metadata.now, 'now'));
  assertRegistered(state);
  if (command.type === 'CheckpointWebhook') {
    return [{ type: 'WebhookCheckpointed', data: { webhookId: command.data.webhookId, position: command.data.position, at } }];
  }
  const { webhookId, eventId, eventType, position, attempts, lastError } = command.data;
  return [{ type: 'WebhookDeliveryDeadLettered', data: { webhookId, eventId, eventType, position, attempts, lastError, at } }];
}
