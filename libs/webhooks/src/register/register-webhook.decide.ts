import { accessedBy, conflict, instantMs, isoOf, type Command, type EncryptedKeyMaterial } from '@csp/domain';
import type { WebhookRegistered, WebhookState } from '../webhook.events';

/**
 * Registers a receiver. The caller has checked the URL (an absolute http(s) URL whose host may be
 * delivered to) and passes it normalised, with the signing secret already encrypted: the domain
 * sees neither the network nor the plain secret.
 */
export type RegisterWebhook = Command<'RegisterWebhook', { webhookId: string; url: string; eventTypes?: readonly string[]; secret: EncryptedKeyMaterial }>;

export function decideRegisterWebhook(command: RegisterWebhook, state: WebhookState): WebhookRegistered[] {
  const at = isoOf(instantMs(command.metadata.now, 'now'));
  if (state.status !== 'none') throw conflict('webhook_exists', 'This webhook is already registered');
  const { webhookId, url, eventTypes, secret } = command.data;
  return [
    {
      type: 'WebhookRegistered',
      data: {
        webhookId,
        url,
        ...(eventTypes?.length ? { eventTypes: [...eventTypes] } : {}),
        secret,
        registeredAt: at,
        registeredBy: accessedBy(command),
      },
    },
  ];
}
