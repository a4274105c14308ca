// The webhooks context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/webhooks` barrel.
import { GetWebhookDeadLettersHandler } from './dead-letters/webhook-dead-letters.query';
import { RegisterWebhookHandler } from './register/register-webhook.handler';
import { ReplayWebhookHandler } from './replay/replay-webhook.handler';
import { WebhooksController } from './webhooks.controller';

export { WebhookDestinations } from './delivery/destinations';
export { WebhookDispatcher } from './delivery/webhook-dispatcher';
export { WEBHOOK_DESTINATIONS } from './tokens';

/** The webhooks' CQRS handlers, for the API module to register (with EVENT_STORE, CLOCK, ProductKeyVault and WEBHOOK_DESTINATIONS bound). */
export const WEBHOOK_HANDLERS = [RegisterWebhookHandler, ReplayWebhookHandler, GetWebhookDeadLettersHandler];
/** The webhooks' routes (`v1/webhooks`). */
export const WEBHOOK_CONTROLLERS = [WebhooksController];
