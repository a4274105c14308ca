import type { RecordedEvent } from '@csp/event-store';
import type { ReadModelOp } from './store/port';

/**
 * A read model's projection: a pure function of an event and the documents it reads. The runner
 * fetches `reads(event)` (as changed by earlier events of the same batch), calls `apply`, and
 * commits the operations with the checkpoint.
 */
export interface Projection {
  readonly name: string;
  /** Event types the projection uses; others only move its checkpoint. */
  readonly eventTypes: ReadonlySet<string>;
  reads(event: RecordedEvent): readonly string[];
  apply(event: RecordedEvent, docs: ReadonlyMap<string, unknown>): ReadModelOp[];
}

/** Epoch ms as 15 digits, so that index entries sort by time as strings. */
export const sortableTime = (iso: string): string => String(Date.parse(iso)).padStart(15, '0');
export const sortablePosition = (position: bigint): string => position.toString().padStart(20, '0');
