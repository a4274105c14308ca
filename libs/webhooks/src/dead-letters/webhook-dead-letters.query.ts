import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, webhookStreamId } from '@csp/domain';
import type { EventStore } from '@csp/event-store';
import { EVENT_STORE } from '@csp/application';
import type { WebhookDeliveryDeadLettered } from '../webhook.events';

export class GetWebhookDeadLettersQuery extends Query<{ webhookId: string; items: WebhookDeliveryDeadLettered['data'][] }> {
  constructor(readonly webhookId: string) {
    super();
  }
}

@QueryHandler(GetWebhookDeadLettersQuery)
export class GetWebhookDeadLettersHandler implements IQueryHandler<GetWebhookDeadLettersQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ webhookId }: GetWebhookDeadLettersQuery) {
    const events = await this.store.readStream(webhookStreamId(webhookId));
    if (events.length === 0) throw notFound('webhook_not_found', 'No such webhook');
    return { webhookId, items: events.filter((e) => e.type === 'WebhookDeliveryDeadLettered').map((e) => e.data as WebhookDeliveryDeadLettered['data']) };
  }
}
