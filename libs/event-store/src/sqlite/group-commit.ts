import type Database from 'better-sqlite3';
import type { Logger } from '@csp/config';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type AppendResult, type ExpectedRevision } from '../port';
import type { SerializedEvent } from '../serialized-events';
import { messageOf } from './database';
import { positionOf } from './rows';

export interface GroupCommitOptions {
  /** recorded_at of every event of a transaction. */
  readonly clock: () => Date;
  /** Events per transaction at most; an append larger than this still gets one transaction of its own. */
  readonly maxBatchEvents: number;
  /** Called after each commit that wrote at least one event, with the highest position it committed. */
  readonly afterWrite: (head: number) => void;
  /** Called after each committed transaction with the number of appends it carried. */
  readonly onCommit?: (appends: number) => void;
  readonly logger?: Logger;
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { readonly append: PendingAppend } & ({ readonly result: AppendResult } | { readonly error: unknown });

/**
 * Group commit: appends queued in the same turn of the event loop are written in one transaction,
 * so they share one fsync. Each append is checked against its expected revision in arrival order
 * inside that transaction (two appends to one stream see each other) and runs in its own savepoint,
 * so a refused append fails alone while the others commit. A failure of SQLite itself (disk full,
 * I/O error, lock timeout) aborts the whole transaction and rejects all of its appends.
 */
export class GroupCommitWriter {
  private readonly queue: PendingAppend[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly statements;
  private readonly writeBatch: Database.Transaction<(batch: readonly PendingAppend[], outcomes: Outcome[]) => void>;
  private readonly writeOne: (append: PendingAppend) => AppendResult;

  constructor(
    db: Database.Database,
    private readonly options: GroupCommitOptions,
  ) {
    this.statements = {
      lastRevision: db.prepare<[string], { revision: number }>('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      byEventId: db.prepare<[string], { stream_id: string; revision: number }>('SELECT stream_id, revision FROM events WHERE event_id = ?'),
      idsFrom: db.prepare<[string, number, number], { event_id: string; position: number }>(
        'SELECT event_id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      insert: db.prepare<[string, number, string, string, string, string, string]>(
        'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    // better-sqlite3 turns a transaction function called inside another into a savepoint.
    this.writeOne = db.transaction((append: PendingAppend) => this.apply(append));
    this.writeBatch = db.transaction((batch: readonly PendingAppend[], outcomes: Outcome[]) => {
      for (const append of batch) {
        try {
          outcomes.push({ append, result: this.writeOne(append) });
        } catch (error) {
          // A failure of SQLite itself (disk full, I/O) aborts the whole transaction.
          if (isSqliteError(error) && !isEventIdConflict(error)) throw error;
          outcomes.push({ append, error });
        }
      }
    });
  }

  enqueue(streamId: string, events: readonly SerializedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      // Always from the event loop, never from here: committing a full batch inside append() let
      // writers that append again as soon as they are answered re-enter it from microtasks forever,
      // and timers, I/O and subscriptions never ran (found by the append benchmark). flush() still
      // caps each transaction at maxBatchEvents.
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued, now. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.queue.length > 0) this.commit(this.takeBatch());
  }

  private takeBatch(): PendingAppend[] {
    let count = 0;
    let events = 0;
    for (const append of this.queue) {
      if (count > 0 && events + append.events.length > this.options.maxBatchEvents) break;
      count++;
      events += append.events.length;
    }
    return this.queue.splice(0, count);
  }

  private commit(batch: readonly PendingAppend[]): void {
    const outcomes: Outcome[] = [];
    try {
      this.writeBatch.immediate(batch, outcomes);
    } catch (error) {
      const failure = new EventStoreUnavailableError(`The event store could not commit: ${messageOf(error)}`, error);
      this.options.logger?.warn('Event store commit failed; its appends are rejected', { error: messageOf(error), appends: batch.length });
      for (const append of batch) append.reject(failure);
      return;
    }
    this.options.onCommit?.(batch.length);
    let head = 0;
    for (const outcome of outcomes) {
      if ('result' in outcome) {
        head = Math.max(head, Number(outcome.result.position.commit));
        outcome.append.resolve(outcome.result);
      } else {
        outcome.append.reject(outcome.error);
      }
    }
    if (head > 0) this.options.afterWrite(head);
  }

  private apply(append: PendingAppend): AppendResult {
    const { streamId, events, expected } = append;
    const last = this.statements.lastRevision.get(streamId)?.revision;
    const retried = this.retriedAppend(append, last);
    if (retried) return retried;
    if (!satisfies(expected, last)) throw wrongRevision(streamId, expected, last);
    const recordedAt = this.options.clock().toISOString();
    let revision = last ?? -1;
    let position = 0;
    for (const event of events) {
      revision++;
      try {
        position = Number(this.statements.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata, recordedAt).lastInsertRowid);
      } catch (error) {
        if (isEventIdConflict(error)) throw this.idConflict(append, event.eventId, last);
        throw error;
      }
    }
    return { nextExpectedRevision: BigInt(revision), position: positionOf(position) };
  }

  /**
   * The same event ids appended again to the same stream under the same expectation: the first
   * append committed (its acknowledgement may have been lost), so answer as it did and write nothing.
   */
  private retriedAppend(append: PendingAppend, last: number | undefined): AppendResult | undefined {
    const { streamId, events, expected } = append;
    const firstId = events[0]!.eventId;
    const first = this.statements.byEventId.get(firstId);
    if (!first) return undefined;
    if (first.stream_id !== streamId) throw new Error(`Event id ${firstId} is already recorded in another stream than ${streamId}`);
    const stored = this.statements.idsFrom.all(streamId, first.revision, events.length);
    const sameEvents = stored.length === events.length && stored.every((row, i) => row.event_id === events[i]!.eventId);
    const lastBefore = first.revision === 0 ? undefined : first.revision - 1;
    if (!sameEvents || !satisfies(expected, lastBefore)) throw wrongRevision(streamId, expected, last);
    return { nextExpectedRevision: BigInt(first.revision + events.length - 1), position: positionOf(stored[stored.length - 1]!.position) };
  }

  private idConflict(append: PendingAppend, eventId: string, last: number | undefined): Error {
    const existing = this.statements.byEventId.get(eventId);
    if (existing?.stream_id === append.streamId) return wrongRevision(append.streamId, append.expected, last);
    return new Error(`Event id ${eventId} is already recorded in another stream than ${append.streamId}`);
  }
}

/**
 * By shape, not `instanceof`: the native addon throws the SqliteError class of whichever copy of
 * better-sqlite3's JavaScript registered last, possibly from another JavaScript realm (jest loads
 * a copy per test file), so neither its class nor `Error` need be ours.
 */
function isSqliteError(error: unknown): error is { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof error === 'object' && error !== null && typeof code === 'string' && code.startsWith('SQLITE_');
}

function isEventIdConflict(error: unknown): boolean {
  return isSqliteError(error) && error.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(error.message).includes('events.event_id');
}

function satisfies(expected: ExpectedRevision, last: number | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return last === undefined;
    case 'stream_exists':
      return last !== undefined;
    default:
      return last !== undefined && BigInt(last) === expected;
  }
}

function wrongRevision(streamId: string, expected: ExpectedRevision, last: number | undefined): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, last === undefined ? 'no_stream' : BigInt(last));
}
