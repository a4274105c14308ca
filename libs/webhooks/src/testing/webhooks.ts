import type { Actor, EncryptedKeyMaterial } from '@csp/domain';
import { deciderSpec } from '../../../domain/src/testing/given-when-then';
import { decideWebhook, type WebhookCommand } from '../webhook.decide';
import { initialWebhookState, evolveWebhook, type WebhookEvent, type WebhookState } from '../webhook.events';

/** The webhook's decider under given-when-then, and the fixtures its feature specs share. */
export const given = deciderSpec<WebhookState, WebhookCommand, WebhookEvent>({
  initialState: initialWebhookState,
  decide: decideWebhook,
  evolve: evolveWebhook,
});
export const NOW = '2026-03-02T10:00:00.000Z';
export const WEBHOOK = '55555555-5555-4555-8555-555555555555';
export const backOffice: Actor = { sub: 'bo-1', tid: '99999999-9999-4999-8999-999999999999', roles: ['back-office'] };
export const dispatcher: Actor = { sub: 'webhook-dispatcher', tid: '00000000-0000-0000-0000-000000000000', roles: [] };
export const secret: EncryptedKeyMaterial = { alg: 'A256GCM', kid: 'k1', iv: 'iv', tag: 'tag', ciphertext: 'sealed' };
export const metadata = (actor: Actor = backOffice, now = NOW) => ({ actor, now });
export const register = (eventTypes?: string[], now = NOW): WebhookCommand => ({
  type: 'RegisterWebhook',
  data: { webhookId: WEBHOOK, url: 'https://crm.example/hooks/csp', ...(eventTypes ? { eventTypes } : {}), secret },
  metadata: metadata(backOffice, now),
});
export const registered = decideWebhook(register(), initialWebhookState);
