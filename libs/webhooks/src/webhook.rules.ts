import { notFound } from '@csp/domain';
import type { WebhookState } from './webhook.events';

/** An event type's name, as webhooks and the event stream filter by it. */
export const EVENT_TYPE_NAME = /^[A-Za-z]{1,64}$/;

/** Every command but the registration is for a registered webhook. */
export function assertRegistered(state: WebhookState): void {
  if (state.status === 'none') throw notFound('webhook_not_found', 'No such webhook');
}
