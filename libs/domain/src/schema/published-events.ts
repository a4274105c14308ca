import { isEventType, type EventType } from './event-versions';

/**
 * What SSE and webhooks withhold from the events they publish to back office: per event type, the
 * payload fields left out, each with the reason the published contract gives. The one rule:
 * publishedEvent (libs/projections) applies it to every delivery, and the event-contract generator
 * cuts the published schemas (docs/schemas/published/) and the documentation from it, so what is
 * sent and what is documented cannot part. The generator refuses a field its event does not have.
 *
 * Consumers that read the store itself (KurrentDB persistent subscriptions) receive events as
 * stored, withheld fields included: this rule is about what leaves the service over HTTP.
 */
export const WITHHELD_FROM_PUBLISHED: { readonly [T in EventType]?: Readonly<Record<string, string>> } = {
  ProductKeyAssigned: {
    material:
      'The product key, encrypted. Key material never leaves the store in any form over SSE or webhooks: no receiver needs it (an authorised caller gets a key from `POST /v1/orders/{orderId}/keys`, an audited reveal), and every copy of the ciphertext outside the store is one more place where a leaked key-encryption key would yield plain keys. `fingerprint` identifies the key.',
  },
};

/** The fields of `type`'s payload that SSE and webhooks withhold, with the reason for each; none for most types. */
export function withheldFromPublished(type: string): Readonly<Record<string, string>> {
  return (isEventType(type) ? WITHHELD_FROM_PUBLISHED[type] : undefined) ?? {};
}

/** An event's payload as SSE and webhooks publish it: the withheld fields left out, the rest as stored, in order. */
export function publishedPayload(type: string, data: unknown): unknown {
  const withheld = withheldFromPublished(type);
  if (Object.keys(withheld).length === 0 || typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(Object.entries(data).filter(([field]) => !Object.prototype.hasOwnProperty.call(withheld, field)));
}
