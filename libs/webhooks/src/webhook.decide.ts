import type { CheckpointWebhook, DeadLetterWebhookDelivery } from './delivery/delivery.decide';
import { decideDelivery } from './delivery/delivery.decide';
import { decideRegisterWebhook, type RegisterWebhook } from './register/register-webhook.decide';
import { decideRequestWebhookReplay, type RequestWebhookReplay } from './replay/replay-webhook.decide';
import type { WebhookEvent, WebhookState } from './webhook.events';

export type { CheckpointWebhook, DeadLetterWebhookDelivery } from './delivery/delivery.decide';
export type { RegisterWebhook } from './register/register-webhook.decide';
export type { RequestWebhookReplay } from './replay/replay-webhook.decide';

export type WebhookCommand = RegisterWebhook | RequestWebhookReplay | CheckpointWebhook | DeadLetterWebhookDelivery;

/** The webhook's decider: each command is decided in its feature's folder. */
export function decideWebhook(command: WebhookCommand, state: WebhookState): WebhookEvent[] {
  switch (command.type) {
    case 'RegisterWebhook':
      return decideRegisterWebhook(command, state);
    case 'RequestWebhookReplay':
      return decideRequestWebhookReplay(command, state);
    case 'CheckpointWebhook':
    case 'DeadLetterWebhookDelivery':
      return decideDelivery(command, state);
  }
}
