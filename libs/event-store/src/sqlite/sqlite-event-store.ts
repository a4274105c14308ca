import type { IntegrityCheck } from './database';
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { Logger } from '@csp/config';
import { EventStoreUnavailableError, START } from '../port';
import type * as port from '../port';
import { OpenSubscriptions } from '../open-subscriptions';
import { openEventStoreDatabase } from './database';
import { DataIndexReader, ensureDataIndexes } from './data-indexes';
import { serialize, type SerializedEvent } from '../serialized-events';
import { GroupCommitWriter } from './group-commit';
import { filterConditions, positionOf, sequenceOf, toRecordedEvent, type EventRow } from './rows';
import { SharedPages } from './shared-pages';
import { CatchUpSubscription, type EventSource } from './subscription';

export interface SqliteEventStoreOptions {
  readonly file: string;
  /** Clock for recorded_at: the store's own record of when it wrote, not the service clock. */
  readonly clock?: () => Date;
  /** How often subscribers look for events written by another process on the same file; default 250. */
  readonly pollIntervalMs?: number;
  /** Events per group-commit transaction at most; default 500. */
  readonly maxBatchEvents?: number;
  readonly logger?: Logger;
  /** Observes group commit: called after each committed transaction with the number of appends it carried. */
  readonly onCommit?: (appends: number) => void;
  /**
   * When to run SQLite's integrity check (which reads the whole file) at open: `auto`, only after an
   * unclean stop (a write-ahead log left behind); `always`, at every open. Default `auto`.
   */
  readonly integrityCheck?: IntegrityCheck;
  /**
   * Read only (auditors): the file must already be an event store of this schema version; nothing
   * is created or migrated, appends are refused. Reads, and subscriptions to another process's
   * writes, work as usual.
   */
  readonly readOnly?: boolean;
  /**
   * Prefixes of streams that hold few events (webhook registrations): a read or subscription
   * filtered to these prefixes alone finds their events through the stream index, in time
   * proportional to what they hold, instead of scanning the log for them. Plain characters only.
   */
  readonly sparseStreamPrefixes?: readonly string[];
  /** The data indexes to keep (port.ts DataIndex): each one the file lacks is built at open, unless read-only. */
  readonly indexes?: readonly port.DataIndex[];
}

const DEFAULT_PAGE_SIZE = 1000;
const WRITTEN = 'written';

/**
 * The embedded, durable event store: one SQLite file in WAL mode with a full fsync per commit.
 * Appends from the same turn of the event loop share a transaction (group commit); subscribers are
 * woken at each local commit and also poll, so a process sharing the file sees the other's events.
 */
export class SqliteEventStore implements port.EventStore {
  private readonly db: Database.Database;
  /** Absent when read-only. */
  private readonly writer: GroupCommitWriter | undefined;
  private readonly written = new EventEmitter();
  private readonly subscriptions = new OpenSubscriptions();
  private readonly source: EventSource;
  private readonly pageStatements = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly sharedPages = new SharedPages();
  private readonly statements;
  private readonly indexReader: DataIndexReader;
  private readonly sparse: ReadonlySet<string>;
  /** The name of the unique index on (stream_id, revision), which sparse prefixes are read through. */
  private readonly streamIndex: string | undefined;
  private accepting = true;
  private closing: Promise<void> | undefined;

  constructor(options: SqliteEventStoreOptions) {
    for (const prefix of options.sparseStreamPrefixes ?? [])
      if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`A sparse stream prefix must be plain characters: ${JSON.stringify(prefix)}`);
    this.db = openEventStoreDatabase(options.file, options.logger, { readOnly: options.readOnly ?? false, integrityCheck: options.integrityCheck ?? 'auto' });
    if (!options.readOnly && options.indexes) {
      try {
        ensureDataIndexes(this.db, options.indexes, options.logger);
      } catch (error) {
        this.db.close();
        throw error;
      }
    }
    this.indexReader = new DataIndexReader(this.db);
    this.sparse = new Set(options.sparseStreamPrefixes);
    this.streamIndex = this.sparse.size > 0 ? streamIndexOf(this.db) : undefined;
    this.written.setMaxListeners(0);
    this.writer = options.readOnly
      ? undefined
      : new GroupCommitWriter(this.db, {
          clock: options.clock ?? (() => new Date()),
          maxBatchEvents: options.maxBatchEvents ?? 500,
          afterWrite: (head) => this.written.emit(WRITTEN, head),
          ...(options.onCommit && { onCommit: options.onCommit }),
          ...(options.logger && { logger: options.logger }),
        });
    this.statements = {
      readStream: this.db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?'),
      readStreamBackwards: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      head: this.db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events'),
    };
    this.source = {
      head: () => this.statements.head.get()?.position ?? 0,
      page: (after, upTo, limit, filter) => this.sharedPages.read(pageKey(after, upTo, limit, filter), () => this.page(after, upTo, limit, filter)),
      onWrite: (listener) => {
        this.written.on(WRITTEN, listener);
        return () => this.written.off(WRITTEN, listener);
      },
      pollIntervalMs: options.pollIntervalMs ?? 250,
    };
  }

  append(streamId: string, events: readonly port.NewEvent[], expectedRevision: port.ExpectedRevision): Promise<port.AppendResult> {
    if (!this.accepting) return Promise.reject(new EventStoreUnavailableError('The event store is closed'));
    if (!this.writer) return Promise.reject(new Error('The event store is open read-only'));
    let serialized: SerializedEvent[];
    try {
      serialized = serialize(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.writer.enqueue(streamId, serialized, expectedRevision);
  }

  /** Queued in one turn of the event loop, the appends share group commit's transactions, in the order given. */
  appendInOrder: NonNullable<port.EventStore['appendInOrder']> = (appends) =>
    Promise.all(appends.map((append) => this.append(append.streamId, append.events, append.expectedRevision)));

  async readStream(streamId: string, options: port.ReadStreamOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    if (options.direction === 'backwards') {
      const from = options.fromRevision !== undefined ? Number(options.fromRevision) : Number.MAX_SAFE_INTEGER;
      return this.statements.readStreamBackwards.all(streamId, from, options.maxCount ?? -1).map(toRecordedEvent);
    }
    return this.statements.readStream.all(streamId, Number(options.fromRevision ?? 0n), options.maxCount ?? -1).map(toRecordedEvent);
  }

  async readAll(options: port.ReadAllOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    return this.page(sequenceOf(options.after), Number.MAX_SAFE_INTEGER, options.maxCount ?? DEFAULT_PAGE_SIZE, options.filter);
  }

  async readIndexed(index: port.DataIndex, options: port.IndexedReadOptions): Promise<port.RecordedEvent[] | undefined> {
    this.assertOpen();
    const rows = this.indexReader.page(index, options.key, options.from, options.before, sequenceOf(options.after), options.maxCount ?? DEFAULT_PAGE_SIZE);
    return rows?.map(toRecordedEvent);
  }

  async headPosition(): Promise<port.Position> {
    this.assertOpen();
    const head = this.source.head();
    return head === 0 ? START : positionOf(head);
  }

  subscribe(handler: port.SubscriptionHandler, options: port.SubscribeOptions = {}): port.Subscription {
    return this.subscriptions.start(() => new CatchUpSubscription(this.source, handler, options));
  }

  /** Commits what is queued, stops every subscription (after its batch in progress), then closes the file. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.accepting = false;
      this.writer?.flush();
      await this.subscriptions.stopAll();
      this.db.close();
    })();
    return this.closing;
  }

  private page(after: number, upTo: number, limit: number, filter: port.EventFilter | undefined): port.RecordedEvent[] {
    const prefixes = filter?.streamPrefixes;
    const sparse = prefixes !== undefined && prefixes.length > 0 && prefixes.every((prefix) => this.sparse.has(prefix));
    const { sql, params } = filterConditions(filter, sparse);
    let statement = this.pageStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], EventRow>(
        `SELECT * FROM events${sparse && this.streamIndex ? ` INDEXED BY "${this.streamIndex}"` : ''} WHERE position > ? AND position <= ?${sql} ORDER BY position LIMIT ?`,
      );
      this.pageStatements.set(sql, statement);
    }
    return statement.all(after, upTo, ...params, limit).map(toRecordedEvent);
  }

  private assertOpen(): void {
    if (!this.db.open) throw new EventStoreUnavailableError('The event store is closed');
  }
}

/** The table's unique index on (stream_id, revision) (schema.ts: an automatic one, whose name SQLite chooses). */
function streamIndexOf(db: Database.Database): string | undefined {
  const indexes = db.pragma('index_list(events)') as { name: string; unique: number }[];
  return indexes.find(
    (index) =>
      index.unique === 1 && (db.pragma(`index_info("${index.name}")`) as { name: string }[]).map((column) => column.name).join(',') === 'stream_id,revision',
  )?.name;
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}

/** Subscriptions with the same filter at the same position ask for the same page. */
function pageKey(after: number, upTo: number, limit: number, filter: port.EventFilter | undefined): string {
  return JSON.stringify([after, upTo, limit, filter?.streamPrefixes ?? null, filter?.eventTypes ?? null]);
}
