import { CUSTOMER_REGISTRY_STREAM_PREFIX, KEY_ACCESS_THROTTLING_STREAM_PREFIX, ORDER_STREAM_PREFIX, REFUND_REQUEST_STREAM_PREFIX } from '@csp/domain';
import { formatPosition, type RecordedEvent } from '@csp/event-store';

/** An event as published to back office (SSE, webhooks): product-key ciphertext withheld, fingerprint kept. */
export function publishedEvent(event: RecordedEvent) {
  const data = event.data as Record<string, unknown>;
  const { material: _material, ...withoutMaterial } = data;
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision.toString(),
    position: formatPosition(event.position),
    data: event.type === 'ProductKeyAssigned' ? withoutMaterial : data,
    metadata: event.metadata,
  };
}

/** The streams back office may follow: the product's, and the abuse-limit records. */
export const PUBLISHED_STREAMS = [ORDER_STREAM_PREFIX, CUSTOMER_REGISTRY_STREAM_PREFIX, REFUND_REQUEST_STREAM_PREFIX, KEY_ACCESS_THROTTLING_STREAM_PREFIX];
