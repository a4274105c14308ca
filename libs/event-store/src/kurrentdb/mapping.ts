import type { AllStreamRecordedEvent, EventData, Filter, ReadPosition, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { comparePositions, START, type EventFilter, type EventMetadata, type NewEvent, type Position, type RecordedEvent } from '../port';

/** Our event as the client's JSON event; the event id is kept, which makes re-appends idempotent on the server. */
export function toEventData(event: NewEvent): EventData {
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: event.data as EventData['data'],
    metadata: event.metadata,
  } as EventData;
}

/** Both halves kept as they are: a KurrentDB position is a (commit, prepare) pair and comparing needs both. */
export const toPosition = (position: { readonly commit: bigint; readonly prepare: bigint }): Position => ({
  commit: position.commit,
  prepare: position.prepare,
});

/** Where a read or subscription starts; the server treats `{ commit, prepare }` as inclusive for reads. */
export const toReadPosition = (position: Position | undefined): ReadPosition =>
  position === undefined || comparePositions(position, START) <= 0 ? 'start' : { commit: position.commit, prepare: position.prepare };

/** The client's recorded event as ours. */
export function fromRecorded(event: KurrentRecordedEvent | AllStreamRecordedEvent): RecordedEvent {
  if (!event.position) throw new Error(`Event ${event.id} of ${event.streamId} came without a position`);
  if (!event.isJson) throw new Error(`Event ${event.id} of ${event.streamId} is not JSON; the product writes only JSON events`);
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: toPosition(event.position),
    data: event.data,
    metadata: (event.metadata ?? {}) as EventMetadata,
    recordedAt: new Date(event.created).toISOString(),
  };
}

/** KurrentDB's own events ($-prefixed types and streams: stats, metadata, links) never reach the product. */
export const isSystemEvent = (event: { readonly type: string; readonly streamId: string }) => event.type.startsWith('$') || event.streamId.startsWith('$');

/** Every event type but the server's own: what `excludeSystemEvents()` sends. */
const NOT_A_SYSTEM_TYPE = '^[^$].*';

/**
 * The server-side part of a port filter. The protocol takes one filter per read, so stream
 * prefixes win when both are given; event types go as prefixes, which is a superset of the exact
 * match the port promises, so the caller still checks exact types (and `$` streams) itself.
 * Without a port filter, the server still drops its own event types.
 */
export function toServerFilter(filter: EventFilter | undefined, checkpointReached?: Filter['checkpointReached']): Filter {
  const base = { checkpointInterval: 1, ...(checkpointReached ? { checkpointReached } : {}) };
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0) return { ...base, filterOn: 'streamName', prefixes: [...filter.streamPrefixes] };
  if (filter?.eventTypes && filter.eventTypes.length > 0) return { ...base, filterOn: 'eventType', prefixes: [...filter.eventTypes] };
  return { ...base, filterOn: 'eventType', regex: NOT_A_SYSTEM_TYPE };
}
