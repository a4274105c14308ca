import type { EventMetadata, NewEvent, Position, RecordedEvent } from './port';

/** An event ready for a table: data and metadata already JSON text. Both stores write this. */
export interface SerializedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Events as table text. Data must be plain JSON: a BigInt or a cycle is the caller's bug, refused here. */
export function serialize(events: readonly NewEvent[]): SerializedEvent[] {
  if (events.length === 0) throw new TypeError('An append needs at least one event');
  const ids = new Set<string>();
  return events.map((event) => {
    if (ids.has(event.eventId)) throw new TypeError(`Event id ${event.eventId} appears twice in one append`);
    ids.add(event.eventId);
    return { eventId: event.eventId, type: event.type, data: toJson(event, 'data', event.data), metadata: toJson(event, 'metadata', event.metadata) };
  });
}

function toJson(event: NewEvent, part: 'data' | 'metadata', value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    const hint = typeof error === 'object' && error !== null && String((error as Error).message).includes('BigInt') ? ' (write BigInt values as strings)' : '';
    throw new TypeError(`The ${part} of event ${event.type} ${event.eventId} is not JSON${hint}: ${(error as Error).message}`);
  }
  if (json === undefined) throw new TypeError(`The ${part} of event ${event.type} ${event.eventId} is not JSON: ${typeof value}`);
  return json;
}

/** The identity columns both SQL stores keep for an event, in whatever type their driver returns them. */
interface StoredEventIdentity {
  readonly event_id: string;
  readonly type: string;
  readonly stream_id: string;
  readonly revision: number | string;
}

/** An event as readers get it, from a table row whose driver has decoded its payload and instant. */
export function recordedEvent(row: StoredEventIdentity, position: Position, data: unknown, metadata: EventMetadata, recordedAt: string): RecordedEvent {
  return { eventId: row.event_id, type: row.type, streamId: row.stream_id, revision: BigInt(row.revision), position, data, metadata, recordedAt };
}
