import type { RecordedEvent } from '@csp/event-store';
import type { Projection } from '../projection';

export interface FoldedReadModel {
  readonly docs: Map<string, unknown>;
  readonly indexes: Map<string, string[]>;
}

/**
 * Applies a projection to events with nothing but maps: shows that a projection is a pure
 * function of the events and needs no store to be tested.
 */
export function fold(
  projection: Projection,
  events: readonly RecordedEvent[],
  into: FoldedReadModel = { docs: new Map(), indexes: new Map() },
): FoldedReadModel {
  for (const event of events) {
    if (!projection.eventTypes.has(event.type)) continue;
    const reads = new Map(projection.reads(event).map((key) => [key, into.docs.get(key)]));
    for (const op of projection.apply(event, reads)) {
      if (op.op === 'put') into.docs.set(op.key, op.value);
      else if (op.op === 'del') into.docs.delete(op.key);
      else {
        const entries = new Set(into.indexes.get(op.index) ?? []);
        if (op.op === 'index-add') entries.add(op.entry);
        else entries.delete(op.entry);
        into.indexes.set(op.index, [...entries].sort());
      }
    }
  }
  return into;
}
