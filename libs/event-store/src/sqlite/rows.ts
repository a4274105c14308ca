import { START, type EventFilter, type EventMetadata, type Position, type RecordedEvent } from '../port';
import { recordedEvent } from '../serialized-events';

/** One row of the events table, as better-sqlite3 returns it. */
export interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** The store's global sequence number is both halves of a Position. */
export const positionOf = (sequence: number | bigint): Position => ({ commit: BigInt(sequence), prepare: BigInt(sequence) });

/** START maps to -1, so "after START" includes the first event at 1. */
export const sequenceOf = (position: Position | undefined): number => Number((position ?? START).commit);

export const toRecordedEvent = (row: EventRow): RecordedEvent =>
  recordedEvent(row, positionOf(row.position), JSON.parse(row.data) as unknown, JSON.parse(row.metadata) as EventMetadata, row.recorded_at);

/**
 * SQL conditions (each prefixed with AND) for a filter. Prefixes compare with substr rather than
 * LIKE so that '%' and '_' in stream names are plain characters. With `byStreamRange`, prefixes are
 * ranges of stream ids instead (from the prefix to the prefix with its last character the next
 * one), which the stream index (stream_id, revision) can answer.
 */
export function filterConditions(filter: EventFilter | undefined, byStreamRange = false): { sql: string; params: string[] } {
  const conditions: string[] = [];
  const params: string[] = [];
  if (filter?.streamPrefixes) {
    if (filter.streamPrefixes.length === 0) return { sql: ' AND 0', params: [] };
    if (byStreamRange) {
      conditions.push(`(${filter.streamPrefixes.map(() => '(stream_id >= ? AND stream_id < ?)').join(' OR ')})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix, afterPrefix(prefix));
    } else {
      conditions.push(`(${filter.streamPrefixes.map(() => 'substr(stream_id, 1, length(?)) = ?').join(' OR ')})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix, prefix);
    }
  }
  if (filter?.eventTypes) {
    if (filter.eventTypes.length === 0) return { sql: ' AND 0', params: [] };
    conditions.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
    params.push(...filter.eventTypes);
  }
  return { sql: conditions.map((condition) => ` AND ${condition}`).join(''), params };
}

/** The first text after every text that starts with `prefix`, in SQLite's byte order (a non-empty prefix of plain characters). */
function afterPrefix(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
