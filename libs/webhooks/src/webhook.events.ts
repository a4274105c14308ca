import type { DomainEvent, EncryptedKeyMaterial } from '@csp/domain';

// A webhook's own events live in its `webhook-<webhookId>` stream. They are the product's internal
// bookkeeping of deliveries, not part of the published event contract (back office does not follow
// these streams), so they are declared here, outside libs/domain/src/<area>/events.ts, which the
// event-contract generator (apps/cli/src/docs/event-contract.ts) publishes.

/** A back-office endpoint that receives the product's events. */
export type WebhookRegistered = DomainEvent<
  'WebhookRegistered',
  {
    webhookId: string;
    url: string;
    eventTypes?: string[];
    secret: EncryptedKeyMaterial;
    registeredAt: string;
    registeredBy: { sub: string; tid: string; roles: string[] };
  }
>;

/** Delivered up to here (at least once): where delivery resumes after a restart. */
export type WebhookCheckpointed = DomainEvent<'WebhookCheckpointed', { webhookId: string; position: string; at: string }>;

/** Every attempt failed: the event is parked in the dead-letter list; delivery went on. */
export type WebhookDeliveryDeadLettered = DomainEvent<
  'WebhookDeliveryDeadLettered',
  { webhookId: string; eventId: string; eventType: string; position: string; attempts: number; lastError: string; at: string }
>;

/** An operator asked to deliver again from a position. */
export type WebhookReplayRequested = DomainEvent<'WebhookReplayRequested', { webhookId: string; fromPosition: string; at: string }>;

export type WebhookEvent = WebhookRegistered | WebhookCheckpointed | WebhookDeliveryDeadLettered | WebhookReplayRequested;

export type WebhookState = { readonly status: 'none' } | { readonly status: 'registered'; readonly webhookId: string };
export const initialWebhookState: WebhookState = { status: 'none' };

export function evolveWebhook(state: WebhookState, event: WebhookEvent): WebhookState {
  return event.type === 'WebhookRegistered' ? { status: 'registered', webhookId: event.data.webhookId } : state;
}
