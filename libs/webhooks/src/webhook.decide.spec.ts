import { deciderSpec } from '../testing/given-when-then';
import type { Actor } from '../shared/actor';
import type { EncryptedKeyMaterial } from '../orders/events';
import { decideWebhook, evolveWebhook, initialWebhookState, type WebhookCommand, type WebhookEvent, type WebhookState } from './webhooks';

const given = deciderSpec<WebhookState, WebhookCommand, WebhookEvent>({ initialState: initialWebhookState, decide: decideWebhook, evolve: evolveWebhook });
const NOW = '2026-03-02T10:00:00.000Z';
const WEBHOOK = '55555555-5555-4555-8555-555555555555';
const backOffice: Actor = { sub: 'bo-1', tid: '99999999-9999-4999-8999-999999999999', roles: ['back-office'] };
const dispatcher: Actor = { sub: 'webhook-dispatcher', tid: '00000000-0000-0000-0000-000000000000', roles: [] };
const secret: EncryptedKeyMaterial = { alg: 'A256GCM', kid: 'k1', iv: 'iv', tag: 'tag', ciphertext: 'sealed' };
const metadata = (actor: Actor = backOffice, now = NOW) => ({ actor, now });
const register = (eventTypes?: string[], now = NOW): WebhookCommand => ({
  type: 'RegisterWebhook',
  data: { webhookId: WEBHOOK, url: 'https://crm.example/hooks/csp', ...(eventTypes ? { eventTypes } : {}), secret },
  metadata: metadata(backOffice, now),
});
const registered = decideWebhook(register(), initialWebhookState);

describe('RegisterWebhook', () => {
  it('registers the receiver with its encrypted secret, who registered it and when', () => {
    given()
      .when(register(['OrderCancelled']))
      .then([
        {
          type: 'WebhookRegistered',
          data: {
            webhookId: WEBHOOK,
            url: 'https://crm.example/hooks/csp',
            eventTypes: ['OrderCancelled'],
            secret,
            registeredAt: NOW,
            registeredBy: { sub: 'bo-1', tid: backOffice.tid, roles: ['back-office'] },
          },
        },
      ]);
  });

  it('leaves out an empty list of event types (every published event is delivered)', () => {
    given()
      .when(register([]))
      .then(([e]) => expect(e!.data).not.toHaveProperty('eventTypes'));
    given()
      .when(register())
      .then(([e]) => expect(e!.data).not.toHaveProperty('eventTypes'));
  });

  it('records the instant in canonical UTC form, refuses one that is not an instant, and refuses registering twice', () => {
    given()
      .when(register(undefined, '2026-03-02T11:00:00+01:00'))
      .then(([e]) => expect(e!.type === 'WebhookRegistered' && e!.data.registeredAt).toBe(NOW));
    given().when(register(undefined, 'now')).thenThrows('invalid', 'invalid_date', { field: 'now' });
    given(registered).when(register()).thenThrows('conflict', 'webhook_exists');
  });
});

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
