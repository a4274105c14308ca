import type { DomainEvent } from '@csp/domain';
import type { RecordedEvent } from '@csp/event-store';
import type { ReadModelOp } from './stores/port';

/**
 * A read model's projection: a pure function of an event and the documents it reads. The runner
 * fetches `reads(event)` (as changed by earlier events of the same batch), calls `apply`, and
 * commits the operations with the checkpoint. Nothing here touches a store, a clock or the network.
 */
/**
 * A recorded event known to be one of the domain events `E`: its type and data typed together, so
 * that a `switch` on `type` narrows `data`. The store hands events back as they were appended; a
 * projection names the events it reads in `eventTypes` and views them so, once, at its edge.
 */
export type RecordedOf<E extends DomainEvent<string, unknown>> = E extends unknown
  ? Omit<RecordedEvent, 'type' | 'data'> & { readonly type: E['type']; readonly data: E['data'] }
  : never;

export interface Projection {
  readonly name: string;
  /** Event types the projection uses; others only move its checkpoint. */
  readonly eventTypes: ReadonlySet<string>;
  /** Keys of the documents `apply` needs to see for this event. */
  reads(event: RecordedEvent): readonly string[];
  apply(event: RecordedEvent, docs: ReadonlyMap<string, unknown>): ReadModelOp[];
}

// Index keys sort as strings: the encodings are the domain kernel's, so that the contexts' pure projections use them too.
export { sortablePosition, sortableTime } from '@csp/domain';
