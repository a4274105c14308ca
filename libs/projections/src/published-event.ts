import {
  CUSTOMER_REGISTRY_STREAM_PREFIX,
  KEY_ACCESS_THROTTLING_STREAM_PREFIX,
  ORDER_STREAM_PREFIX,
  publishedPayload,
  REFUND_REQUEST_STREAM_PREFIX,
} from '@csp/domain';
import { formatPosition, type EventMetadata, type RecordedEvent } from '@csp/event-store';

/**
 * An event as back office receives it over SSE (the `data` of each frame) and webhooks (the body
 * of each delivery). The event-contract generator reads this interface and its TSDoc for
 * docs/schemas/published/PublishedEvent.json.
 */
export interface PublishedEvent {
  /** UUID of the event, unique across the store: the key a receiver recognises a redelivery by. */
  readonly eventId: string;
  /** The event type, a past-tense name such as `SoftwarePurchased`. */
  readonly type: string;
  /** The stream the event belongs to, e.g. `order-<orderId>`. */
  readonly streamId: string;
  /** 0-based position inside the stream, as a decimal string (a 64-bit integer). */
  readonly revision: string;
  /** The position in the global order of all events, as the store writes it (`<commit>` or `<commit>/<prepare>`): the SSE frame's `id`, what `Last-Event-ID`, `after` and a webhook replay's `fromPosition` take. */
  readonly position: string;
  /** The payload as published: its shape is docs/schemas/published/<type>.v<schemaVersion>.json, the stored payload without the fields SSE and webhooks withhold. */
  readonly data: unknown;
  /** The event's metadata, as the store holds it (docs/schemas/EventMetadata.json); `schemaVersion` names the payload's schema. */
  readonly metadata: EventMetadata;
}

/** An event as published to back office (SSE, webhooks): what the published-events rule withholds left out, the rest as stored. */
export function publishedEvent(event: RecordedEvent): PublishedEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision.toString(),
    position: formatPosition(event.position),
    data: publishedPayload(event.type, event.data),
    metadata: event.metadata,
  };
}

/** The streams back office may follow: the product's, and the abuse-limit records. */
export const PUBLISHED_STREAMS = [ORDER_STREAM_PREFIX, CUSTOMER_REGISTRY_STREAM_PREFIX, REFUND_REQUEST_STREAM_PREFIX, KEY_ACCESS_THROTTLING_STREAM_PREFIX];
