import { PassThrough } from 'node:stream';
import type { AllStreamResolvedEvent, AllStreamSubscription, EventData } from '@kurrent/kurrentdb-client';
import type { KurrentClient } from '../client';

// Errors named like the client's, which the adapter recognises by name.
export class WrongExpectedVersionError extends Error {
  constructor(readonly streamName: string, readonly actualState: bigint | 'no_stream') {
    super(`wrong expected version on ${streamName}`);
  }
}
export class StreamNotFoundError extends Error {}
export class UnavailableError extends Error {}
export class StreamDeletedError extends Error {}

interface Stored {
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  data: unknown;
  metadata: unknown;
  created: Date;
  position: { commit: bigint; prepare: bigint };
}

type FilterLike = { filterOn: 'streamName' | 'eventType'; prefixes?: string[]; regex?: string; checkpointReached?: (s: unknown, p: { commit: bigint; prepare: bigint }) => unknown };

const passes = (filter: FilterLike | undefined, e: Stored) => {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? e.streamId : e.type;
  if (filter.prefixes) return filter.prefixes.some((p) => subject.startsWith(p));
  if (filter.regex) return new RegExp(filter.regex).test(subject);
  return true;
};

/**
 * An in-memory stand-in for the KurrentDB client, faithful to the behaviours the adapter relies
 * on: streamState checks and idempotent re-appends, inclusive readAll positions, positions with
 * distinct commit and prepare parts, system events in $all, and subscriptions that can be dropped.
 */
export class FakeKurrentClient implements KurrentClient {
  readonly log: Stored[] = [];
  private nextPosition = 1000n;
  private readonly live = new Set<{ stream: PassThrough; filter?: FilterLike }>();
  unavailable = false;
  disposed = false;
  readonly tombstoned = new Set<string>();

  async tombstoneStream(streamName: string) {
    if (this.tombstoned.has(streamName)) throw new StreamDeletedError(streamName);
    this.tombstoned.add(streamName);
    // A tombstone removes the stream's events (the server drops them at scavenge).
    for (let i = this.log.length - 1; i >= 0; i--) if (this.log[i]!.streamId === streamName) this.log.splice(i, 1);
    return { position: undefined };
  }

  /** A system event, as KurrentDB writes its own. */
  writeSystemEvent(): void {
    this.record('$stats-127.0.0.1:2113', '$statsCollected', {}, {});
  }

  private record(streamId: string, type: string, data: unknown, metadata: unknown, id = `${streamId}-${this.log.length}`): Stored {
    const revision = BigInt(this.log.filter((e) => e.streamId === streamId).length);
    // Prepare positions differ from commit positions, as in a real transaction log.
    const commit = (this.nextPosition += 137n);
    const stored: Stored = { id, type, streamId, revision, data, metadata, created: new Date(), position: { commit, prepare: commit - 7n } };
    this.log.push(stored);
    for (const { stream, filter } of this.live) if (passes(filter, stored)) stream.write(this.resolved(stored));
    return stored;
  }

  private resolved(e: Stored): AllStreamResolvedEvent {
    return { event: { ...e, isJson: true } as never, commitPosition: e.position.commit };
  }

  async appendToStream(streamName: string, events: EventData[], options: { streamState?: unknown } = {}) {
    if (this.unavailable) throw new UnavailableError('connection refused');
    if (this.tombstoned.has(streamName)) throw new StreamDeletedError(streamName);
    const existing = this.log.filter((e) => e.streamId === streamName);
    const actual: bigint | 'no_stream' = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    const state = options.streamState ?? 'any';
    // Idempotent: the same ids appended again after the same expectation.
    const first = existing.findIndex((e) => e.id === events[0]!.id);
    if (first >= 0 && events.every((ev, i) => existing[first + i]?.id === ev.id)) {
      const last = existing[first + events.length - 1]!;
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    }
    const ok = state === 'any' || (state === 'no_stream' && actual === 'no_stream') || (state === 'stream_exists' && actual !== 'no_stream') || (typeof state === 'bigint' && actual === state);
    if (!ok) throw new WrongExpectedVersionError(streamName, actual);
    let last!: Stored;
    for (const e of events) last = this.record(streamName, e.type, e.data, e.metadata, e.id);
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  async *readStream(streamName: string, options: { fromRevision?: unknown; maxCount?: number | bigint } = {}) {
    if (this.unavailable) throw new UnavailableError('connection refused');
    if (this.tombstoned.has(streamName)) throw new StreamDeletedError(streamName);
    const events = this.log.filter((e) => e.streamId === streamName);
    if (events.length === 0) throw new StreamNotFoundError(streamName);
    const from = typeof options.fromRevision === 'bigint' ? options.fromRevision : 0n;
    let count = 0;
    for (const e of events) {
      if (e.revision < from) continue;
      if (options.maxCount !== undefined && count++ >= Number(options.maxCount)) return;
      yield { event: { ...e, isJson: true } as never };
    }
  }

  async *readAll(options: { fromPosition?: unknown; direction?: string; maxCount?: number | bigint; filter?: unknown } = {}) {
    if (this.unavailable) throw new UnavailableError('connection refused');
    const filter = options.filter as FilterLike | undefined;
    const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
    const from = options.fromPosition as { commit: bigint } | string | undefined;
    let events = this.log.filter((e) => passes(filter, e));
    if (options.direction === 'backwards') {
      events = [...events].reverse();
      if (typeof from === 'object') events = events.filter((e) => e.position.commit <= from.commit);
    } else if (typeof from === 'object') {
      events = events.filter((e) => e.position.commit >= from.commit); // inclusive, as the real client
    }
    for (const e of events.slice(0, max)) yield this.resolved(e);
  }

  subscribeToAll(options: { fromPosition?: unknown; filter?: unknown } = {}): AllStreamSubscription {
    const stream = new PassThrough({ objectMode: true, highWaterMark: 16 });
    const filter = options.filter as FilterLike | undefined;
    const from = options.fromPosition as { commit: bigint } | string | undefined;
    const entry = { stream, filter };
    for (const e of this.log) {
      if (typeof from === 'object' && e.position.commit < from.commit) continue;
      if (passes(filter, e)) stream.write(this.resolved(e));
      else if (filter?.checkpointReached) void filter.checkpointReached(stream, e.position);
    }
    this.live.add(entry);
    const subscription = Object.assign(stream, {
      unsubscribe: async () => {
        this.live.delete(entry);
        stream.end();
      },
    });
    stream.on('close', () => this.live.delete(entry));
    return subscription as unknown as AllStreamSubscription;
  }

  /** Drops every live subscription as a broken connection would. */
  dropSubscriptions(): void {
    for (const { stream } of [...this.live]) {
      this.live.delete({ stream } as never);
      stream.destroy(new UnavailableError('connection reset'));
    }
    this.live.clear();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
