import { EVENT_UPCASTERS, schemaVersionOf } from '@csp/domain';
import { UpcasterChain, withUpcasting, type EventStore } from '@csp/event-store';

/**
 * The product's upcasting chain: the domain's upcasters (libs/domain/src/schema) up to the
 * current schema version of each event type.
 */
export const eventUpcasting = new UpcasterChain(EVENT_UPCASTERS, schemaVersionOf);

/**
 * The one place stored events are brought to their current shape: openConfiguredEventStore wraps
 * every store with it, so the command side (StreamRepository), the projection runners and
 * rebuilds, and the audit replay all read the current shape of every event.
 */
export function upcastingEventStore(store: EventStore): EventStore {
  return withUpcasting(store, eventUpcasting);
}
