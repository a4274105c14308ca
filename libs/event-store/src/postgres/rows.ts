import { START, type EventFilter, type EventMetadata, type Position, type RecordedEvent } from '../port';
import { recordedEvent } from '../serialized-events';

/**
 * One row of the events table as node-postgres returns it: bigint and xid8 as text (they do not
 * fit a JS number), json already parsed, timestamptz as a Date.
 */
export interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

/** The columns every read selects, in the row's shape. */
export const EVENT_COLUMNS = 'position, transaction_id::text AS transaction_id, stream_id, revision, event_id, type, data, metadata, recorded_at';

/**
 * A port position is (transaction id, position): `commit` orders transactions, `prepare` the rows
 * inside and across them, as KurrentDB's (commit, prepare) pair does. Comparing the pair is the
 * order readers deliver in.
 */
export const positionOf = (transactionId: string | bigint, position: string | bigint): Position => ({
  commit: BigInt(transactionId),
  prepare: BigInt(position),
});

/** Query parameters for "strictly after": START becomes (0, 0), before every real transaction id (≥ 3). */
export function afterParams(after: Position | undefined): [string, string] {
  const p = after ?? START;
  return p.commit < 0n ? ['0', '0'] : [p.commit.toString(), (p.prepare < 0n ? 0n : p.prepare).toString()];
}

export const toRecordedEvent = (row: EventRow): RecordedEvent =>
  recordedEvent(row, positionOf(row.transaction_id, row.position), row.data, row.metadata, row.recorded_at.toISOString());

/**
 * SQL conditions (each prefixed with AND) for a filter, numbering its parameters from `first`.
 * Prefixes compare with `^@` (starts_with) rather than LIKE, so '%' and '_' in stream names are
 * plain characters.
 */
export function filterConditions(filter: EventFilter | undefined, first: number): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter?.streamPrefixes) {
    if (filter.streamPrefixes.length === 0) return { sql: ' AND false', params: [] };
    params.push([...filter.streamPrefixes]);
    conditions.push(`stream_id ^@ ANY ($${first + params.length - 1}::text[])`);
  }
  if (filter?.eventTypes) {
    if (filter.eventTypes.length === 0) return { sql: ' AND false', params: [] };
    params.push([...filter.eventTypes]);
    conditions.push(`type = ANY ($${first + params.length - 1}::text[])`);
  }
  return { sql: conditions.map((condition) => ` AND ${condition}`).join(''), params };
}
