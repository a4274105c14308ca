import { Pool, type PoolClient } from 'pg';
import type { Logger } from '@csp/config';
import {
  EventStoreUnavailableError,
  START,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '../port';
import { serialize, type SerializedEvent } from '../serialized-events';
import { isUnavailable, isUniqueViolation, messageOf, toPortError } from './errors';
import { Notifications } from './notifications';
import { EVENT_COLUMNS, afterParams, filterConditions, positionOf, toRecordedEvent, type EventRow } from './rows';
import { migrate, schemaVersion, SCHEMA_VERSION } from './schema';
import { PostgresSubscription, type EventSource } from './subscription';

export interface PostgresEventStoreOptions {
  /** postgres://user[:password]@host[:port]/database (libpq URL; postgresql:// too). */
  readonly connectionString: string;
  readonly logger?: Logger;
  /** Connections in the pool, at most; default 8. Subscriptions add one LISTEN connection per store. */
  readonly poolSize?: number;
  /** How long subscribers sleep, at most, between looks when no notification comes; default 250. */
  readonly pollIntervalMs?: number;
  /**
   * Read only (auditors, rebuilds): the database must already hold an event store at this schema
   * version; nothing is created or migrated, and the sessions are read-only, so the server itself
   * refuses any write.
   */
  readonly readOnly?: boolean;
}

const DEFAULT_PAGE_SIZE = 1000;
/** Below this, every running transaction is finished: rows of older transactions are all there is. */
const HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The PostgreSQL event store: events in one table in global order (transaction id, position),
 * optimistic concurrency by a row lock on the stream's row, idempotent appends by event id,
 * subscriptions woken by LISTEN/NOTIFY with polling behind them (README.md).
 */
export class PostgresEventStore implements EventStore {
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly source: EventSource;
  private accepting = true;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly notifications: Notifications,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.source = {
      page: (after, limit, filter) => this.page(after, limit, filter),
      heldBack: () => this.heldBack(),
      notifications,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      ...(options.logger ? { logger: options.logger } : {}),
    };
  }

  async append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (this.options.readOnly) throw new Error('The event store is open read-only');
    const serialized = serialize(events);
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toPortError(error, `connecting to append to ${streamId}`);
    }
    let broken: Error | undefined;
    // Checked out, a connection has no listener of the pool's: an 'error' the server sends between
    // two statements (a terminated backend) would otherwise be unhandled and end the process.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await this.appendIn(client, streamId, serialized, expectedRevision);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isUnavailable(error)) {
        // The connection is gone or going: drop it instead of handing it to the next caller.
        broken = error instanceof Error ? error : new Error(messageOf(error));
        throw toPortError(error, `appending to ${streamId}`);
      }
      await client.query('ROLLBACK').catch(() => undefined);
      if (isUniqueViolation(error, 'events_event_id')) throw await this.idConflict(streamId, serialized, expectedRevision);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
      `reading ${streamId}`,
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.page(options.after ?? START, options.maxCount ?? DEFAULT_PAGE_SIZE, options.filter);
  }

  /** The last event readers can be given: the newest row below the horizon (see page). */
  async headPosition(): Promise<Position> {
    this.assertOpen();
    const [row] = await this.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position FROM events WHERE transaction_id < ${HORIZON} ORDER BY transaction_id DESC, position DESC LIMIT 1`,
      [],
      'reading the head position',
    );
    return row ? positionOf(row.transaction_id, row.position) : START;
  }

  subscribe(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    if (!this.accepting) throw new EventStoreUnavailableError('The event store is closed');
    const subscription = new PostgresSubscription(this.source, handler, options);
    this.subscriptions.add(subscription);
    void subscription.closed.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** Stops every subscription (after its batch in progress), then the LISTEN connection and the pool. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.accepting = false;
      await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
      await this.notifications.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  /**
   * One append inside its transaction. The stream's row is locked first, so appends to one stream
   * queue on it and each sees the revision the previous one left; the first of concurrent creators
   * inserts the row, the others wait for it and then see the stream exists.
   */
  private async appendIn(client: PoolClient, streamId: string, events: readonly SerializedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    for (;;) {
      const locked = await client.query<{ revision: string }>('SELECT revision FROM streams WHERE stream_id = $1 FOR UPDATE', [streamId]);
      const last = locked.rows[0] ? BigInt(locked.rows[0].revision) : undefined;
      const retried = await this.retriedAppend(client, streamId, events, expected, last);
      if (retried) return retried;
      if (!satisfies(expected, last)) throw wrongRevision(streamId, expected, last);
      const next = (last ?? -1n) + BigInt(events.length);
      if (last === undefined) {
        const created = await client.query('INSERT INTO streams (stream_id, revision) VALUES ($1, $2) ON CONFLICT (stream_id) DO NOTHING', [
          streamId,
          next.toString(),
        ]);
        // A concurrent creator committed the row while this insert waited on it: decide again.
        if (created.rowCount === 0) continue;
      } else {
        await client.query('UPDATE streams SET revision = $2 WHERE stream_id = $1', [streamId, next.toString()]);
      }
      const first = (last ?? -1n) + 1n;
      const inserted = await client.query<{ position: string; transaction_id: string }>(
        `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
         SELECT $1, $2::bigint + e.n - 1, e.event_id, e.type, e.data::json, e.metadata::json
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(event_id, type, data, metadata, n)
         ORDER BY e.n
         RETURNING position, transaction_id::text AS transaction_id`,
        [streamId, first.toString(), events.map((e) => e.eventId), events.map((e) => e.type), events.map((e) => e.data), events.map((e) => e.metadata)],
      );
      const lastRow = inserted.rows.reduce((a, b) => (BigInt(b.position) > BigInt(a.position) ? b : a));
      return { nextExpectedRevision: next, position: positionOf(lastRow.transaction_id, lastRow.position) };
    }
  }

  /**
   * The same event ids appended again to the same stream under the same expectation: the first
   * append committed (its acknowledgement may have been lost), so answer as it did and write nothing.
   */
  private async retriedAppend(
    client: PoolClient,
    streamId: string,
    events: readonly SerializedEvent[],
    expected: ExpectedRevision,
    last: bigint | undefined,
  ): Promise<AppendResult | undefined> {
    const firstId = events[0]!.eventId;
    const found = await client.query<{ stream_id: string; revision: string }>('SELECT stream_id, revision FROM events WHERE event_id = $1', [firstId]);
    const first = found.rows[0];
    if (!first) return undefined;
    if (first.stream_id !== streamId) throw new Error(`Event id ${firstId} is already recorded in another stream than ${streamId}`);
    const stored = await client.query<{ event_id: string; position: string; transaction_id: string }>(
      'SELECT event_id, position, transaction_id::text AS transaction_id FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3',
      [streamId, first.revision, events.length],
    );
    const sameEvents = stored.rows.length === events.length && stored.rows.every((row, i) => row.event_id === events[i]!.eventId);
    const firstRevision = BigInt(first.revision);
    const lastBefore = firstRevision === 0n ? undefined : firstRevision - 1n;
    if (!sameEvents || !satisfies(expected, lastBefore)) throw wrongRevision(streamId, expected, last);
    const end = stored.rows[stored.rows.length - 1]!;
    return { nextExpectedRevision: firstRevision + BigInt(events.length) - 1n, position: positionOf(end.transaction_id, end.position) };
  }

  /** An id of this append is recorded already, not as its first event: in this stream a partial retry, else another stream's. */
  private async idConflict(streamId: string, events: readonly SerializedEvent[], expected: ExpectedRevision): Promise<Error> {
    const [existing] = await this.query<{ event_id: string; stream_id: string }>(
      'SELECT event_id, stream_id FROM events WHERE event_id = ANY ($1::text[]) ORDER BY stream_id = $2 DESC LIMIT 1',
      [events.map((e) => e.eventId), streamId],
      `appending to ${streamId}`,
    );
    if (existing?.stream_id === streamId || !existing) {
      const [row] = await this.query<{ revision: string }>('SELECT revision FROM streams WHERE stream_id = $1', [streamId], `appending to ${streamId}`);
      return wrongRevision(streamId, expected, row ? BigInt(row.revision) : undefined);
    }
    return new Error(`Event id ${existing.event_id} is already recorded in another stream than ${streamId}`);
  }

  /**
   * Matching events strictly after `after`, in global order, of transactions older than the
   * horizon: the oldest transaction still running anywhere on the server. Every transaction below
   * it has ended, so no row can later appear before a position this read returns, whatever order
   * transactions commit in. Rows of younger committed transactions wait for the next read.
   */
  private async page(after: Position, limit: number, filter: EventFilter | undefined): Promise<RecordedEvent[]> {
    const [transactionId, position] = afterParams(after);
    const conditions = filterConditions(filter, 4);
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < ${HORIZON}${conditions.sql}
       ORDER BY transaction_id, position LIMIT $3`,
      [transactionId, position, limit, ...conditions.params],
      'reading the global log',
    );
    return rows.map(toRecordedEvent);
  }

  private async heldBack(): Promise<boolean> {
    const [row] = await this.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM events WHERE transaction_id >= ${HORIZON}) AS held`,
      [],
      'reading the global log',
    );
    return row?.held ?? false;
  }

  private async query<R extends object>(sql: string, params: unknown[], doing: string): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw toPortError(error, doing);
    }
  }

  private assertOpen(): void {
    if (!this.accepting) throw new EventStoreUnavailableError('The event store is closed');
  }
}

/**
 * Connects, brings the schema up to date (or, read-only, checks it is), and returns the store. A
 * server that does not answer is an EventStoreUnavailableError naming it.
 */
export async function openPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 8,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'csp-event-store',
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection the server ends (a restart, pg_terminate_backend) is reported here; without
  // a listener that 'error' would crash the process. The pool drops it and connects anew.
  pool.on('error', (error) => options.logger?.warn('Event store connection lost; the pool reconnects', { error: messageOf(error) }));
  try {
    if (options.readOnly) {
      const version = await schemaVersion(pool);
      if (version !== SCHEMA_VERSION) {
        throw new Error(
          version === 0
            ? 'The PostgreSQL database holds no event store (no event_store_migrations table): point EVENTSTORE_URL at the service database'
            : `The PostgreSQL event store is at schema version ${version}, this program reads version ${SCHEMA_VERSION}`,
        );
      }
    } else {
      const { from, to } = await migrate(pool);
      if (from !== to) options.logger?.info('Event store schema migrated', { from, to });
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toPortError(error, 'opening the event store');
  }
  return new PostgresEventStore(pool, new Notifications(options.connectionString, options.logger), options);
}

function satisfies(expected: ExpectedRevision, last: bigint | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return last === undefined;
    case 'stream_exists':
      return last !== undefined;
    default:
      return last !== undefined && last === expected;
  }
}

function wrongRevision(streamId: string, expected: ExpectedRevision, last: bigint | undefined): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, last ?? 'no_stream');
}
