// The webhook events and their decider are the domain's (libs/domain/src/webhooks); the stream they live in:
export type { WebhookCheckpointed, WebhookDeliveryDeadLettered, WebhookEvent, WebhookRegistered, WebhookReplayRequested } from '@csp/domain';

/** The webhooks' stream names live with every other stream name (@csp/domain streams.ts): `webhook-<webhookId>`. */
export { WEBHOOK_STREAM_PREFIX, webhookStreamId } from '@csp/domain';
