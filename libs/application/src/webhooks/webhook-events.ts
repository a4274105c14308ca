// The webhook events and their decider are the domain's (libs/domain/src/webhooks); the stream they live in:
export type { WebhookCheckpointed, WebhookDeliveryDeadLettered, WebhookEvent, WebhookRegistered, WebhookReplayRequested } from '@csp/domain';

/** Stream `webhook-<webhookId>`: a back-office endpoint that receives the product's events. */
export const webhookStreamId = (webhookId: string) => `webhook-${webhookId}`;
export const WEBHOOK_STREAM_PREFIX = 'webhook-';
