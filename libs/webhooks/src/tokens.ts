/** Where webhooks may be registered and delivered (a WebhookDestinations): the API binds the runtime's. */
export const WEBHOOK_DESTINATIONS = Symbol('WebhookDestinations');
