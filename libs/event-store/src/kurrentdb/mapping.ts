import type { AllStreamRecordedEvent, EventData, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import type { EventMetadata, NewEvent, Position, RecordedEvent } from '../port';

/** Our event as the client's JSON event data; the event id is kept, so re-appends stay idempotent. */
export function toEventData(event: NewEvent): EventData {
  return { id: event.eventId, contentType: 'application/json', type: event.type, data: event.data as never, metadata: event.metadata as never } as EventData;
}

export const toPosition = (p: { commit: bigint; prepare: bigint }): Position => ({ commit: p.commit, prepare: p.prepare });

/** The client's recorded event as ours; `position` comes from the event or, for stream reads, the caller. */
export function fromRecorded(event: KurrentRecordedEvent | AllStreamRecordedEvent, fallbackPosition?: Position): RecordedEvent {
  const position = event.position ? toPosition(event.position) : fallbackPosition;
  if (!position) throw new Error(`Event ${event.id} of ${event.streamId} came without a position`);
  if (!event.isJson) throw new Error(`Event ${event.id} of ${event.streamId} is not JSON; the product only writes JSON events`);
  return {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position,
    data: event.data,
    metadata: (event.metadata ?? {}) as EventMetadata,
    recordedAt: event.created instanceof Date ? event.created.toISOString() : new Date(event.created as unknown as string).toISOString(),
  };
}

/** KurrentDB's own events ($-prefixed types and streams) never reach the product's readers. */
export const isSystemEvent = (event: { type: string; streamId: string }) => event.type.startsWith('$') || event.streamId.startsWith('$');
