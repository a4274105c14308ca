import { Pool } from 'pg';
import type { Logger } from '@csp/config';
import { EventStoreUnavailableError, START, WrongExpectedRevisionError } from '../port';
import type * as port from '../port';
import { OpenSubscriptions } from '../open-subscriptions';
import { serialize, type SerializedEvent } from '../serialized-events';
import { isUniqueViolation, messageOf, toPortError } from './errors';
import { checkDataIndex } from '../data-index';
import { ensureDataIndexes, hasDataIndex, indexedConditions } from './data-indexes';
import { Notifications } from './notifications';
import { EVENT_COLUMNS, afterParams, filterConditions, positionOf, toRecordedEvent, type EventRow } from './rows';
import { migrate, schemaVersion, SCHEMA_VERSION } from './schema';
import { SharedReads } from './shared-reads';
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
  /** The data indexes to keep (port.ts DataIndex): each one the database lacks is built at open, unless read-only. */
  readonly indexes?: readonly port.DataIndex[];
}

const DEFAULT_PAGE_SIZE = 1000;

/** What append_events (schema.ts) answers; bigint and xid8 as text. */
interface AppendRow {
  out_outcome: 'appended' | 'retried' | 'wrong_revision' | 'other_stream';
  out_revision: string | null;
  out_transaction_id: string | null;
  out_position: string | null;
}
/**
 * The global order, by the table's columns: an unqualified `transaction_id` in ORDER BY would be
 * the selected `transaction_id::text` (an output name wins there), sorted as text — '1000' before
 * '999' — and by a sort of every matching row instead of the index.
 */
const GLOBAL_ORDER = 'events.transaction_id, events.position';
const GLOBAL_ORDER_DESC = 'events.transaction_id DESC, events.position DESC';
/** Below this, every running transaction is finished: rows of older transactions are all there is. */
const HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The PostgreSQL event store: events in one table in global order (transaction id, position),
 * optimistic concurrency by a row lock on the stream's row, idempotent appends by event id,
 * subscriptions woken by LISTEN/NOTIFY with polling behind them (README.md).
 */
export class PostgresEventStore implements port.EventStore {
  private readonly subscriptions = new OpenSubscriptions();
  private readonly source: EventSource;
  private accepting = true;
  private closing: Promise<void> | undefined;
  /** The indexes found in the database (looked up again each time until found: another process may build one meanwhile). */
  private readonly indexesFound = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly notifications: Notifications,
    private readonly options: PostgresEventStoreOptions,
  ) {
    // One read per notification for every subscription at the same position (one per read model).
    const shared = new SharedReads();
    this.source = {
      page: (after, limit, filter) => shared.page(pageKey(notifications.count, after, limit, filter), () => this.page(after, limit, filter)),
      heldBack: () => shared.read(`held-back:${notifications.count}`, () => this.heldBack()),
      notifications,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      ...(options.logger ? { logger: options.logger } : {}),
    };
  }

  async append(streamId: string, events: readonly port.NewEvent[], expectedRevision: port.ExpectedRevision): Promise<port.AppendResult> {
    this.assertWritable();
    const serialized = serialize(events);
    let outcome: AppendRow | undefined;
    try {
      outcome = await this.callAppend(this.pool, streamId, serialized, expectedRevision);
    } catch (error) {
      throw await this.appendFailure(error, streamId, serialized, expectedRevision);
    }
    return appendResult(outcome, streamId, serialized, expectedRevision);
  }

  /**
   * One transaction: the appends' rows share its transaction id and follow each other by position,
   * which is their global order. All of them in one statement first (one round trip); when one is
   * refused, they are written again one by one in a new transaction, which says which and why.
   */
  appendInOrder: NonNullable<port.EventStore['appendInOrder']> = async (appends) => {
    this.assertWritable();
    const batch = appends.map((append) => ({ ...append, serialized: serialize(append.events) }));
    if (batch.length === 0) return [];
    const atOnce = await this.transaction((client) => this.appendAllAtOnce(client, batch)).catch((error: unknown) => {
      if (isUniqueViolation(error, 'events_event_id')) return undefined;
      throw error;
    });
    return atOnce ?? (await this.transaction((client) => this.appendOneByOne(client, batch)))!;
  };

  async readStream(streamId: string, options: port.ReadStreamOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const rows = await this.query<EventRow>(
      backwards
        ? `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND ($2::bigint IS NULL OR revision <= $2) ORDER BY revision DESC LIMIT $3`
        : `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, options.fromRevision !== undefined ? options.fromRevision.toString() : backwards ? null : '0', options.maxCount ?? null],
      `reading ${streamId}`,
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: port.ReadAllOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    return this.page(options.after ?? START, options.maxCount ?? DEFAULT_PAGE_SIZE, options.filter);
  }

  /** As page does (global order, below the horizon), through the index's expressions. */
  async readIndexed(declared: port.DataIndex, options: port.IndexedReadOptions): Promise<port.RecordedEvent[] | undefined> {
    this.assertOpen();
    const index = checkDataIndex(declared);
    if (!this.indexesFound.has(index.storedName)) {
      const found = await hasDataIndex(this.pool, index).catch((error: unknown) => Promise.reject(toPortError(error, 'reading an index')));
      if (!found) return undefined;
      this.indexesFound.add(index.storedName);
    }
    const [transactionId, position] = afterParams(options.after);
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE ${indexedConditions(index)} AND (transaction_id, position) > ($4::xid8, $5::bigint) AND transaction_id < ${HORIZON}
       ORDER BY ${GLOBAL_ORDER} LIMIT $6`,
      [options.key, options.from, options.before, transactionId, position, options.maxCount ?? DEFAULT_PAGE_SIZE],
      `reading the index ${index.name}`,
    );
    return rows.map(toRecordedEvent);
  }

  /** The last event readers can be given: the newest row below the horizon (see page). */
  async headPosition(): Promise<port.Position> {
    this.assertOpen();
    const [row] = await this.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position FROM events WHERE transaction_id < ${HORIZON} ORDER BY ${GLOBAL_ORDER_DESC} LIMIT 1`,
      [],
      'reading the head position',
    );
    return row ? positionOf(row.transaction_id, row.position) : START;
  }

  subscribe(handler: port.SubscriptionHandler, options: port.SubscribeOptions = {}): port.Subscription {
    return this.subscriptions.start(() => new PostgresSubscription(this.source, handler, options));
  }

  /** Stops every subscription (after its batch in progress), then the LISTEN connection and the pool. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.accepting = false;
      await this.subscriptions.stopAll();
      await this.notifications.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  /**
   * One call of the database function (schema.ts): the decision and the write under the stream
   * row's lock, in one statement, so one round trip (and one transaction when called alone).
   */
  private async callAppend(
    db: { query: Pool['query'] },
    streamId: string,
    events: readonly SerializedEvent[],
    expectedRevision: port.ExpectedRevision,
  ): Promise<AppendRow | undefined> {
    const result = await db.query<AppendRow>(
      'SELECT out_outcome, out_revision, out_transaction_id::text AS out_transaction_id, out_position FROM append_events($1, $2, $3, $4, $5, $6)',
      [
        streamId,
        expectedText(expectedRevision),
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.data),
        events.map((e) => e.metadata),
      ],
    );
    return result.rows[0];
  }

  /** Every append in one statement, in the order given; undefined (for the caller to roll back) when one is refused. */
  private async appendAllAtOnce(db: { query: Pool['query'] }, batch: readonly SerializedAppend[]): Promise<port.AppendResult[] | undefined> {
    // Each append's events are a slice of the statement's arrays, 1-based, bounds inclusive.
    const bounds = { first: [] as number[], last: [] as number[] };
    for (const append of batch) {
      const first = (bounds.last[bounds.last.length - 1] ?? 0) + 1;
      bounds.first.push(first);
      bounds.last.push(first + append.serialized.length - 1);
    }
    const events = batch.flatMap((append) => append.serialized);
    const slice = (n: number) => `($${n}::text[])[a.first:a.last]`;
    const { rows } = await db.query<AppendRow>(
      `SELECT r.out_outcome, r.out_revision, r.out_transaction_id::text AS out_transaction_id, r.out_position
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) WITH ORDINALITY AS a(stream_id, expected, first, last, n)
       CROSS JOIN LATERAL append_events(a.stream_id, a.expected, ${slice(5)}, ${slice(6)}, ${slice(7)}, ${slice(8)}) r
       ORDER BY a.n`,
      [
        batch.map((append) => append.streamId),
        batch.map((append) => expectedText(append.expectedRevision)),
        bounds.first,
        bounds.last,
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.data),
        events.map((e) => e.metadata),
      ],
    );
    if (rows.length !== batch.length || rows.some((row) => row.out_outcome !== 'appended' && row.out_outcome !== 'retried')) return undefined;
    // The calls ran in the order given if the positions they wrote increase with it; else the one-by-one path writes them.
    const written = rows.filter((row) => row.out_outcome === 'appended').map((row) => BigInt(row.out_position!));
    if (written.some((position, i) => i > 0 && position <= written[i - 1]!)) return undefined;
    return rows.map((row, i) => appendResult(row, batch[i]!.streamId, batch[i]!.serialized, batch[i]!.expectedRevision));
  }

  private async appendOneByOne(db: { query: Pool['query'] }, batch: readonly SerializedAppend[]): Promise<port.AppendResult[]> {
    const results: port.AppendResult[] = [];
    for (const { streamId, serialized, expectedRevision } of batch) {
      let outcome: AppendRow | undefined;
      try {
        outcome = await this.callAppend(db, streamId, serialized, expectedRevision);
      } catch (error) {
        throw await this.appendFailure(error, streamId, serialized, expectedRevision);
      }
      results.push(appendResult(outcome, streamId, serialized, expectedRevision));
    }
    return results;
  }

  /** `work` in a transaction on a connection of its own: committed when it answers, rolled back when it answers undefined or fails. */
  private async transaction<T>(work: (client: { query: Pool['query'] }) => Promise<T | undefined>): Promise<T | undefined> {
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(toPortError(error, 'appending')));
    // Checked out, a connection has no listener of the pool's: without one a dropped connection's 'error' is unhandled.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query(value === undefined ? 'ROLLBACK' : 'COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (lost ??= rollback));
      throw toPortError(error, 'appending');
    } finally {
      client.off('error', onError);
      // A connection that failed is dropped, not handed to the next caller.
      client.release(lost);
    }
  }

  private async appendFailure(error: unknown, streamId: string, events: readonly SerializedEvent[], expected: port.ExpectedRevision): Promise<unknown> {
    if (isUniqueViolation(error, 'events_event_id')) return this.idConflict(streamId, events, expected);
    return toPortError(error, `appending to ${streamId}`);
  }

  /** An id of this append is recorded already, not as its first event: in this stream a partial retry, else another stream's. */
  private async idConflict(streamId: string, events: readonly SerializedEvent[], expected: port.ExpectedRevision): Promise<Error> {
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
  private async page(after: port.Position, limit: number, filter: port.EventFilter | undefined): Promise<port.RecordedEvent[]> {
    const [transactionId, position] = afterParams(after);
    const conditions = filterConditions(filter, 4);
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < ${HORIZON}${conditions.sql}
       ORDER BY ${GLOBAL_ORDER} LIMIT $3`,
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

  private assertWritable(): void {
    this.assertOpen();
    if (this.options.readOnly) throw new Error('The event store is open read-only');
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
      await ensureDataIndexes(pool, options.indexes ?? [], options.logger);
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toPortError(error, 'opening the event store');
  }
  return new PostgresEventStore(pool, new Notifications(options.connectionString, options.logger), options);
}

/** Subscriptions with the same filter at the same position, since the same notification, ask for the same page. */
function pageKey(notified: number, after: port.Position, limit: number, filter: port.EventFilter | undefined): string {
  return JSON.stringify([notified, after.commit.toString(), after.prepare.toString(), limit, filter?.streamPrefixes ?? null, filter?.eventTypes ?? null]);
}

/** One append of appendInOrder, its events as table text. */
interface SerializedAppend {
  readonly streamId: string;
  readonly expectedRevision: port.ExpectedRevision;
  readonly serialized: readonly SerializedEvent[];
}

/** An expected revision as append_events takes it: 'any', 'no_stream', 'stream_exists' or a revision in text. */
const expectedText = (expected: port.ExpectedRevision) => (typeof expected === 'bigint' ? expected.toString() : expected);

/** What append_events answered, as the port's result or error. */
function appendResult(
  outcome: AppendRow | undefined,
  streamId: string,
  events: readonly SerializedEvent[],
  expected: port.ExpectedRevision,
): port.AppendResult {
  switch (outcome?.out_outcome) {
    case 'appended':
    case 'retried':
      return { nextExpectedRevision: BigInt(outcome.out_revision!), position: positionOf(outcome.out_transaction_id!, outcome.out_position!) };
    case 'wrong_revision':
      throw wrongRevision(streamId, expected, outcome.out_revision === null ? undefined : BigInt(outcome.out_revision));
    case 'other_stream':
      throw new Error(`Event id ${events[0]!.eventId} is already recorded in another stream than ${streamId}`);
    case undefined:
      throw new Error(`append_events answered nothing for ${streamId}`);
  }
}

function wrongRevision(streamId: string, expected: port.ExpectedRevision, last: bigint | undefined): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, last ?? 'no_stream');
}
