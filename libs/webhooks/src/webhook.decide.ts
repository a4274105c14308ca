import type { EncryptedKeyMaterial } from '../orders/events';
import type { Command, DomainEvent } from '../shared/command';
import { conflict, notFound } from '../shared/errors';
import { instantMs, isoOf } from '../shared/time';

// A webhook's own events live in its `webhook-<webhookId>` stream. They are the product's internal
// bookkeeping of deliveries, not part of the published event contract (back office does not follow
// these streams), so they are declared here rather than in an events.ts of the documented contract.

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

/**
 * Registers a receiver. The caller has checked the URL (an absolute http(s) URL whose host may be
 * delivered to) and passes it normalised, with the signing secret already encrypted: the domain
 * sees neither the network nor the plain secret.
 */
export type RegisterWebhook = Command<'RegisterWebhook', { webhookId: string; url: string; eventTypes?: readonly string[]; secret: EncryptedKeyMaterial }>;
/** Deliver again from a position (an event store position, checked by the caller). */
export type RequestWebhookReplay = Command<'RequestWebhookReplay', { webhookId: string; fromPosition: string }>;
/** The dispatcher delivered everything up to `position`. */
export type CheckpointWebhook = Command<'CheckpointWebhook', { webhookId: string; position: string }>;
/** The dispatcher gave up on an event after its last attempt. */
export type DeadLetterWebhookDelivery = Command<
  'DeadLetterWebhookDelivery',
  { webhookId: string; eventId: string; eventType: string; position: string; attempts: number; lastError: string }
>;
export type WebhookCommand = RegisterWebhook | RequestWebhookReplay | CheckpointWebhook | DeadLetterWebhookDelivery;

export type WebhookState = { readonly status: 'none' } | { readonly status: 'registered'; readonly webhookId: string };
export const initialWebhookState: WebhookState = { status: 'none' };

export function decideWebhook(command: WebhookCommand, state: WebhookState): WebhookEvent[] {
  const at = isoOf(instantMs(command.metadata.now, 'now'));
  switch (command.type) {
    case 'RegisterWebhook': {
      if (state.status !== 'none') throw conflict('webhook_exists', 'This webhook is already registered');
      const { webhookId, url, eventTypes, secret } = command.data;
      const { actor } = command.metadata;
      return [
        {
          type: 'WebhookRegistered',
          data: {
            webhookId,
            url,
            ...(eventTypes?.length ? { eventTypes: [...eventTypes] } : {}),
            secret,
            registeredAt: at,
            registeredBy: { sub: actor.sub, tid: actor.tid, roles: [...actor.roles] },
          },
        },
      ];
    }
    case 'RequestWebhookReplay':
      registered(state);
      return [{ type: 'WebhookReplayRequested', data: { webhookId: command.data.webhookId, fromPosition: command.data.fromPosition, at } }];
    case 'CheckpointWebhook':
      registered(state);
      return [{ type: 'WebhookCheckpointed', data: { webhookId: command.data.webhookId, position: command.data.position, at } }];
    case 'DeadLetterWebhookDelivery': {
      registered(state);
      const { webhookId, eventId, eventType, position, attempts, lastError } = command.data;
      return [{ type: 'WebhookDeliveryDeadLettered', data: { webhookId, eventId, eventType, position, attempts, lastError, at } }];
    }
  }
}

function registered(state: WebhookState): void {
  if (state.status === 'none') throw notFound('webhook_not_found', 'No such webhook');
}

export function evolveWebhook(state: WebhookState, event: WebhookEvent): WebhookState {
  return event.type === 'WebhookRegistered' ? { status: 'registered', webhookId: event.data.webhookId } : state;
}
