import type { WebhookCommand } from '../webhook.decide';
import { dispatcher, given, metadata, registered, WEBHOOK, NOW } from '../testing/webhooks';

describe('the dispatcher records its progress', () => {
  const checkpoint: WebhookCommand = { type: 'CheckpointWebhook', data: { webhookId: WEBHOOK, position: '1234' }, metadata: metadata(dispatcher) };
  const deadLetter: WebhookCommand = {
    type: 'DeadLetterWebhookDelivery',
    data: { webhookId: WEBHOOK, eventId: 'e-1', eventType: 'OrderCancelled', position: '1235', attempts: 8, lastError: 'HTTP 500' },
    metadata: metadata(dispatcher),
  };

  it('a checkpoint: delivered up to a position', () => {
    given(registered)
      .when(checkpoint)
      .then([{ type: 'WebhookCheckpointed', data: { webhookId: WEBHOOK, position: '1234', at: NOW } }]);
  });

  it('a dead letter: which event, after how many attempts, and why in its own words', () => {
    given(registered)
      .when(deadLetter)
      .then([
        {
          type: 'WebhookDeliveryDeadLettered',
          data: { webhookId: WEBHOOK, eventId: 'e-1', eventType: 'OrderCancelled', position: '1235', attempts: 8, lastError: 'HTTP 500', at: NOW },
        },
      ]);
  });

  it('only for a registered webhook', () => {
    given().when(checkpoint).thenThrows('not-found', 'webhook_not_found');
    given().when(deadLetter).thenThrows('not-found', 'webhook_not_found');
  });
});
