import { backOffice, given, NOW, register, registered, secret, WEBHOOK } from '../testing/webhooks';

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
