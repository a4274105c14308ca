import { Transform, type TransformCallback } from 'node:stream';
import type { AllStreamResolvedEvent, AllStreamSubscription, EventData, Filter } from '@kurrent/kurrentdb-client';
import type { KurrentClient } from '../client';

/** Errors shaped like the client's: the adapter reads their `type`. */
export class FakeKurrentError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly actualState?: bigint | 'no_stream',
  ) {
    super(message);
  }
}

export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
  readonly isJson: boolean;
  readonly position: { readonly commit: bigint; readonly prepare: bigint };
}

type Position = StoredEvent['position'];
type Item = { readonly event: StoredEvent } | { readonly checkpoint: Position };

/** How often the server reports a checkpoint on a filtered subscription: every interval × 32 events scanned. */
const CHECKPOINT_EVERY = 32;

const passes = (filter: Filter | undefined, event: StoredEvent) => {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? event.streamId : event.type;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
};

const atOrAfter = (event: StoredEvent, from: Position) =>
  event.position.commit > from.commit || (event.position.commit === from.commit && event.position.prepare >= from.prepare);

/**
 * The client's subscription is a Transform that awaits `checkpointReached` while the events
 * read before the checkpoint may still wait in its readable buffer; this one does the same, so
 * the adapter is tested against that ordering.
 */
class FakeSubscription extends Transform {
  transformed = 0;
  constructor(
    private readonly checkpointReached: Filter['checkpointReached'],
    readonly onUnsubscribe: () => void,
  ) {
    super({ objectMode: true });
  }

  override _transform(item: Item, _encoding: BufferEncoding, next: TransformCallback): void {
    this.transformed++;
    if ('checkpoint' in item) {
      Promise.resolve(this.checkpointReached?.(this as unknown as AllStreamSubscription, item.checkpoint)).then(() => next(), next);
      return;
    }
    next(null, { event: item.event, commitPosition: item.event.position.commit });
  }

  async unsubscribe(): Promise<void> {
    this.onUnsubscribe();
  }
}

interface LiveSubscription {
  readonly stream: FakeSubscription;
  readonly filter: Filter | undefined;
  scanned: number;
}

/**
 * An in-memory stand-in for the KurrentDB client, faithful to what the adapter relies on: stream
 * states and idempotent re-appends, (commit, prepare) positions whose halves differ, inclusive
 * `fromPosition` on reads and subscriptions, server-side prefix and regex filters, the server's
 * own events in $all, filtered checkpoints, and subscriptions that can be dropped or refused.
 * It is not KurrentDB: the wire protocol is verified only by the contract suite on a real server.
 */
export class FakeKurrentClient implements KurrentClient {
  readonly log: StoredEvent[] = [];
  /** Every subscribeToAll call, in order, with its options. */
  readonly subscriptionRequests: { fromPosition: unknown; filter: Filter | undefined }[] = [];
  /** Every readAll call's options. */
  readonly readAllRequests: { fromPosition: unknown; direction: unknown; maxCount: unknown; filter: Filter | undefined }[] = [];
  /** Every appendToStream call's stream state. */
  readonly appendStates: unknown[] = [];
  /** When set, every call fails as an unreachable server does. */
  unavailable = false;
  /** How many of the next subscriptions the server drops as soon as they are made. */
  refuseSubscriptions = 0;
  disposed = false;
  private nextCommit = 1000n;
  private readonly live = new Set<LiveSubscription>();

  /** An event of the server's own, as it writes stats and metadata. */
  writeSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): void {
    this.record(streamId, type, {}, {}, `${streamId}-${this.log.length}`);
  }

  /** An event some other writer stored as bytes, not JSON. */
  writeBinaryEvent(streamId: string, type: string): void {
    this.record(streamId, type, new Uint8Array([1, 2, 3]), undefined, `${streamId}-${this.log.length}`, false);
  }

  /** Drops every live subscription as a broken connection does. */
  dropSubscriptions(): void {
    for (const subscription of [...this.live]) {
      this.live.delete(subscription);
      subscription.stream.emit('error', new FakeKurrentError('unavailable', 'connection reset'));
    }
  }

  get liveSubscriptions(): number {
    return this.live.size;
  }

  /** How many items (events and checkpoints) the live subscriptions' streams have taken in. */
  get transformed(): number {
    return [...this.live].reduce((sum, { stream }) => sum + stream.transformed, 0);
  }

  async appendToStream(streamName: string, events: EventData[], options: { streamState?: unknown } = {}) {
    this.assertAvailable(streamName);
    const state = options.streamState ?? 'any';
    this.appendStates.push(state);
    const existing = this.log.filter((e) => e.streamId === streamName);
    const actual: bigint | 'no_stream' = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    // The same ids appended again after the same expectation answer as before.
    const first = existing.findIndex((e) => e.id === events[0]?.id);
    const matchesExpectation = (revision: bigint | 'no_stream') =>
      state === 'any' || (state === 'no_stream' && revision === 'no_stream') || (state === 'stream_exists' && revision !== 'no_stream') || state === revision;
    if (first >= 0 && events.every((event, i) => existing[first + i]?.id === event.id) && matchesExpectation(first === 0 ? 'no_stream' : BigInt(first - 1))) {
      const last = existing[first + events.length - 1]!;
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    }
    if (!matchesExpectation(actual)) throw new FakeKurrentError('wrong-expected-version', `wrong expected version on ${streamName}`, actual);
    let last: StoredEvent | undefined;
    for (const event of events) last = this.record(streamName, event.type, event.data, event.metadata, event.id);
    return { success: true, nextExpectedRevision: last!.revision, position: last!.position };
  }

  async *readStream(streamName: string, options: { fromRevision?: unknown; direction?: unknown; maxCount?: number | bigint } = {}) {
    this.assertAvailable(streamName);
    const events = this.log.filter((e) => e.streamId === streamName);
    if (events.length === 0) throw new FakeKurrentError('stream-not-found', `${streamName} not found`);
    const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
    if (options.direction === 'backwards') {
      const from = typeof options.fromRevision === 'bigint' ? options.fromRevision : BigInt(Number.MAX_SAFE_INTEGER);
      for (const event of events
        .filter((e) => e.revision <= from)
        .reverse()
        .slice(0, max))
        yield { event: event as never };
      return;
    }
    const from = typeof options.fromRevision === 'bigint' ? options.fromRevision : 0n;
    for (const event of events.filter((e) => e.revision >= from).slice(0, max)) yield { event: event as never };
  }

  async *readAll(
    options: { fromPosition?: unknown; direction?: unknown; maxCount?: number | bigint; filter?: Filter } = {},
  ): AsyncGenerator<AllStreamResolvedEvent> {
    this.assertAvailable();
    this.readAllRequests.push({ fromPosition: options.fromPosition, direction: options.direction, maxCount: options.maxCount, filter: options.filter });
    const from = typeof options.fromPosition === 'object' ? (options.fromPosition as Position) : undefined;
    const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
    let events = this.log.filter((e) => passes(options.filter, e));
    if (options.direction === 'backwards') {
      events = events.reverse();
      if (from) events = events.filter((e) => !atOrAfter(e, from) || (e.position.commit === from.commit && e.position.prepare === from.prepare));
    } else if (from) {
      events = events.filter((e) => atOrAfter(e, from));
    }
    for (const event of events.slice(0, max)) yield { event: event as never, commitPosition: event.position.commit };
  }

  subscribeToAll(options: { fromPosition?: unknown; filter?: Filter } = {}): AllStreamSubscription {
    this.subscriptionRequests.push({ fromPosition: options.fromPosition, filter: options.filter });
    const entry: LiveSubscription = {
      filter: options.filter,
      scanned: 0,
      stream: new FakeSubscription(options.filter?.checkpointReached, () => this.live.delete(entry)),
    };
    if (this.unavailable || this.refuseSubscriptions > 0) {
      this.refuseSubscriptions = Math.max(0, this.refuseSubscriptions - 1);
      setImmediate(() => entry.stream.emit('error', new FakeKurrentError('unavailable', 'connection refused')));
      return entry.stream as unknown as AllStreamSubscription;
    }
    const from = typeof options.fromPosition === 'object' ? (options.fromPosition as Position) : undefined;
    for (const event of this.log) if (!from || atOrAfter(event, from)) this.deliver(entry, event);
    this.live.add(entry);
    setImmediate(() => entry.stream.emit('confirmation'));
    return entry.stream as unknown as AllStreamSubscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  private deliver(subscription: LiveSubscription, event: StoredEvent): void {
    if (passes(subscription.filter, event)) subscription.stream.write({ event });
    subscription.scanned++;
    if (subscription.filter && subscription.scanned % (subscription.filter.checkpointInterval * CHECKPOINT_EVERY) === 0) {
      subscription.stream.write({ checkpoint: event.position });
    }
  }

  private record(streamId: string, type: string, data: unknown, metadata: unknown, id: string, isJson = true): StoredEvent {
    const revision = BigInt(this.log.filter((e) => e.streamId === streamId).length);
    // Prepare positions differ from commit positions, as they can in the server's transaction log.
    const commit = (this.nextCommit += 137n);
    const event: StoredEvent = {
      id,
      type,
      streamId,
      revision,
      data,
      metadata,
      created: new Date(Date.UTC(2026, 2, 2, 10) + this.log.length * 1000),
      isJson,
      position: { commit, prepare: commit - 7n },
    };
    this.log.push(event);
    for (const subscription of this.live) this.deliver(subscription, event);
    return event;
  }

  private assertAvailable(streamName?: string): void {
    if (this.unavailable) throw new FakeKurrentError('unavailable', 'connection refused');
    if (streamName !== undefined && this.tombstoned.has(streamName)) throw new FakeKurrentError('stream-deleted', `${streamName} is deleted`);
  }

  readonly tombstoned = new Set<string>();

  /** A tombstone removes the stream's events for good (the server drops them at scavenge) and forbids new ones. */
  async tombstoneStream(streamName: string) {
    this.assertAvailable(streamName);
    this.tombstoned.add(streamName);
    for (let i = this.log.length - 1; i >= 0; i--) if (this.log[i]!.streamId === streamName) this.log.splice(i, 1);
    // What stays in $all: the server's own tombstone event, in the deleted stream.
    this.record(streamName, '$streamDeleted', {}, {}, `${streamName}-tombstone`);
    return {};
  }
}
