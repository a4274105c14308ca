import type { WebhookCommand } from '../webhook.decide';
import { given, metadata, registered, WEBHOOK, NOW } from '../testing/webhooks';

describe('RequestWebhookReplay', () => {
  const replay: WebhookCommand = { type: 'RequestWebhookReplay', data: { webhookId: WEBHOOK, fromPosition: '42' }, metadata: metadata() };

  it('asks the dispatcher to deliver again from a position', () => {
    given(registered)
      .when(replay)
      .then([{ type: 'WebhookReplayRequested', data: { webhookId: WEBHOOK, fromPosition: '42', at: NOW } }]);
  });

  it('refuses a webhook that was never registered', () => {
    given().when(replay).thenThrows('not-found', 'webhook_not_found');
  });
});
