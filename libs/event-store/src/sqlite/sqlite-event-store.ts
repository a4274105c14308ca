import Database from 'better-sqlite3';
import {
  EventStoreUnavailableError,
  START,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventFilter,
  type EventMetadata,
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
import { PRAGMAS, SCHEMA_SQL, SCHEMA_VERSION } from './schema';

export interface SqliteEventStoreOptions {
  readonly file: string;
  /** Clock for recorded_at; the store's own, not the service clock. */
  readonly clock?: () => Date;
  /** How often subscribers look for events written by another process on the same file. */
  readonly pollIntervalMs?: number;
  /** Appends per transaction at most (group commit). */
  readonly maxBatch?: number;
  readonly logger?: { warn(message: string, fields?: Record<string, unknown>): void };
  /** Test hook: called after each committed transaction with the number of appends it carried. */
  readonly onCommit?: (appends: number) => void;
}

interface Row {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly { eventId: string; type: string; data: string; metadata: string }[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const positionOf = (n: number | bigint): Position => ({ commit: BigInt(n), prepare: BigInt(n) });

function toRecorded(row: Row): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: positionOf(row.position),
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recorded_at,
  };
}

/** SQL for a filter; prefixes compare with substr so that '%' or '_' in names mean nothing. */
function filterSql(filter: EventFilter | undefined): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (filter?.streamPrefixes) {
    if (filter.streamPrefixes.length === 0) return { sql: ' AND 0', params };
    clauses.push(`(${filter.streamPrefixes.map(() => 'substr(stream_id, 1, length(?)) = ?').join(' OR ')})`);
    for (const p of filter.streamPrefixes) params.push(p, p);
  }
  if (filter?.eventTypes) {
    if (filter.eventTypes.length === 0) return { sql: ' AND 0', params };
    clauses.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
    params.push(...filter.eventTypes);
  }
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

const toSqlPosition = (p: Position | undefined): number => Number((p ?? START).commit);

/**
 * The embedded, durable event store: one SQLite file in WAL mode. Appends that arrive in the same
 * turn of the event loop share one transaction and one fsync (group commit), each still checked
 * for its own expected revision; subscribers are woken at commit and also poll, so a process
 * sharing the file sees the other's events.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly maxBatch: number;
  private readonly statements;

  constructor(private readonly options: SqliteEventStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxBatch = options.maxBatch ?? 1000;
    try {
      this.db = new Database(options.file);
    } catch (error) {
      throw new Error(`Cannot open the event store ${options.file}: ${(error as Error).message}`);
    }
    try {
      for (const pragma of PRAGMAS) this.db.pragma(pragma);
      const check = this.db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(String(check));
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new Error(`schema version ${version} is newer than this program (${SCHEMA_VERSION})`);
      this.db.exec(SCHEMA_SQL);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (error) {
      this.db.close();
      throw new Error(`The event store ${options.file} failed its integrity check: ${(error as Error).message}`);
    }
    this.statements = {
      lastRevision: this.db.prepare<[string], { revision: number }>('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      byEventId: this.db.prepare<[string], { stream_id: string; revision: number; position: number }>('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
      idsFrom: this.db.prepare<[string, number, number], { event_id: string; position: number }>(
        'SELECT event_id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      insert: this.db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      readStream: this.db.prepare<[string, number, number], Row>('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?'),
      head: this.db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events'),
    };
  }

  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The event store is closed'));
    if (events.length === 0) return Promise.reject(new TypeError('An append needs at least one event'));
    let rows: PendingAppend['events'];
    try {
      rows = events.map((e) => ({ eventId: e.eventId, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) }));
    } catch (error) {
      return Promise.reject(new TypeError(`Event data must be JSON (no BigInt, no cycles): ${(error as Error).message}`));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events: rows, expected: expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every pending append in one transaction; each append succeeds or fails on its own. */
  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const outcomes: { append: PendingAppend; result?: AppendResult; error?: unknown }[] = [];
      const applyOne = this.db.transaction((append: PendingAppend) => this.applyAppend(append));
      const applyBatch = this.db.transaction(() => {
        for (const append of batch) {
          try {
            // A nested transaction is a savepoint: a refused append leaves the others intact.
            outcomes.push({ append, result: applyOne(append) });
          } catch (error) {
            outcomes.push({ append, error });
          }
        }
      });
      try {
        applyBatch.immediate();
      } catch (error) {
        // The commit itself failed (disk full, I/O error): nothing of this batch is acknowledged.
        const failure = new EventStoreUnavailableError(`The event store could not commit: ${(error as Error).message}`, error);
        this.options.logger?.warn('Event store commit failed', { error: (error as Error).message, appends: batch.length });
        for (const append of batch) append.reject(failure);
        continue;
      }
      this.options.onCommit?.(batch.length);
      let wrote = false;
      for (const { append, result, error } of outcomes) {
        if (result) {
          wrote = true;
          append.resolve(result);
        } else append.reject(error);
      }
      if (wrote) for (const wake of this.wakers) wake();
    }
  }

  private applyAppend(append: PendingAppend): AppendResult {
    const { streamId, events, expected } = append;
    const last = this.statements.lastRevision.get(streamId)?.revision;
    const replay = this.idempotentReplay(streamId, events, expected, last);
    if (replay) return replay;
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && last === undefined) ||
      (expected === 'stream_exists' && last !== undefined) ||
      (typeof expected === 'bigint' && last !== undefined && BigInt(last) === expected);
    if (!matches) throw new WrongExpectedRevisionError(streamId, expected, last === undefined ? 'no_stream' : BigInt(last));
    const recordedAt = this.clock().toISOString();
    let revision = last ?? -1;
    let position = 0;
    for (const event of events) {
      revision++;
      try {
        position = Number(this.statements.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata, recordedAt).lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new Error(`Event id ${event.eventId} is already used by another event`);
        }
        throw error;
      }
    }
    return { nextExpectedRevision: BigInt(revision), position: positionOf(position) };
  }

  /**
   * The same event ids appended again to the same stream with the same expectation: the first
   * append succeeded (perhaps its acknowledgement was lost), so answer as it did, writing nothing.
   */
  private idempotentReplay(streamId: string, events: PendingAppend['events'], expected: ExpectedRevision, last: number | undefined): AppendResult | undefined {
    const first = this.statements.byEventId.get(events[0]!.eventId);
    if (!first) return undefined;
    if (first.stream_id !== streamId) throw new Error(`Event id ${events[0]!.eventId} is already used in another stream`);
    const stored = this.statements.idsFrom.all(streamId, first.revision, events.length);
    const same = stored.length === events.length && stored.every((row, i) => row.event_id === events[i]!.eventId);
    const expectedBefore = first.revision === 0 ? 'no_stream' : BigInt(first.revision - 1);
    const sameExpectation = expected === 'any' || expected === 'stream_exists' || expected === expectedBefore;
    if (!same || !sameExpectation) throw new WrongExpectedRevisionError(streamId, expected, last === undefined ? 'no_stream' : BigInt(last));
    return { nextExpectedRevision: BigInt(first.revision + events.length - 1), position: positionOf(stored[stored.length - 1]!.position) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = Number(options.fromRevision ?? 0n);
    return this.statements.readStream.all(streamId, from, options.maxCount ?? -1).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readPage(toSqlPosition(options.after), options.maxCount ?? 1000, options.filter, Number.MAX_SAFE_INTEGER);
  }

  private readPage(after: number, limit: number, filter: EventFilter | undefined, upTo: number): RecordedEvent[] {
    const { sql, params } = filterSql(filter);
    const rows = this.db
      .prepare<unknown[], Row>(`SELECT * FROM events WHERE position > ? AND position <= ?${sql} ORDER BY position LIMIT ?`)
      .all(after, upTo, ...params, limit);
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<Position> {
    this.assertOpen();
    const head = this.statements.head.get()?.position;
    return head === null || head === undefined ? START : positionOf(head);
  }

  subscribe(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    let scanned = toSqlPosition(options.after);
    let stopped = false;
    let wake: () => void = () => undefined;
    const waker = () => wake();
    this.wakers.add(waker);

    const run = async () => {
      while (!stopped && !this.closed) {
        const head = this.statements.head.get()?.position ?? 0;
        if (head > scanned) {
          const events = this.readPage(scanned, batchSize, options.filter, head);
          if (events.length > 0) {
            await handler(events);
            const last = events[events.length - 1]!.position;
            scanned = Number(last.commit);
            // A short page means everything up to the head was scanned, matching or not.
            if (events.length < batchSize) scanned = head;
          } else {
            scanned = head;
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = () => undefined;
      }
    };

    const closed = run().finally(() => {
      this.wakers.delete(waker);
    });
    // The owner observes failures through `closed`; never let them become unhandled rejections.
    closed.catch(() => undefined);
    const subscription: Subscription = {
      closed,
      stop: async () => {
        stopped = true;
        wake();
        await closed.catch(() => undefined);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) this.flush();
    this.closed = true;
    for (const wake of this.wakers) wake();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
  }
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}
