import type { DomainEvent, EncryptedKeyMaterial } from '@csp/domain';

/** Stream `webhook-<webhookId>`: a back-office endpoint that receives the product's events. */
export type WebhookRegistered = DomainEvent<
  'WebhookRegistered',
  { webhookId: string; url: string; eventTypes?: string[]; secret: EncryptedKeyMaterial; registeredAt: string; registeredBy: { sub: string; tid: string; roles: string[] } }
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

/** The webhooks' stream names live with every other stream name (@csp/domain streams.ts). */
export { WEBHOOK_STREAM_PREFIX, webhookStreamId } from '@csp/domain';
