import type { AllStreamResolvedEvent, AllStreamSubscription, Filter, ReadPosition } from '@kurrent/kurrentdb-client';
import {
  comparePositions,
  EventStoreUnavailableError,
  matchesFilter,
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
import { connect, type KurrentClient } from './client';
import { fromRecorded, isSystemEvent, toEventData, toPosition } from './mapping';

export interface KurrentDbLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface KurrentDbEventStoreOptions {
  /** kurrentdb://…, kdb://… or esdb://… (translated). */
  readonly connectionString?: string;
  /** An already connected client (tests inject a fake). */
  readonly client?: KurrentClient;
  readonly logger?: KurrentDbLogger;
  /** Back-off between resubscriptions after a dropped subscription: first and maximum delay. */
  readonly resubscribeDelayMs?: { readonly initial: number; readonly max: number };
}

export interface KurrentSubscribeOptions extends SubscribeOptions {
  /**
   * Filtered $all subscriptions report a checkpoint every n×32 events even when no event matches;
   * a runner that stores it does not rescan a sparse filter's gaps after a restart.
   */
  readonly onCheckpoint?: (position: Position) => void | Promise<void>;
}

const errorName = (error: unknown) => (error as { constructor?: { name?: string } })?.constructor?.name ?? '';
const UNAVAILABLE = new Set(['UnavailableError', 'DeadlineExceededError', 'CancelledError', 'NotLeaderError', 'TimeoutError']);

function unavailable(error: unknown): boolean {
  const e = error as { type?: string };
  return UNAVAILABLE.has(errorName(error)) || e?.type === 'unavailable' || e?.type === 'deadline-exceeded';
}

function mapError(streamId: string, expected: ExpectedRevision, error: unknown): Error {
  if (errorName(error) === 'WrongExpectedVersionError') {
    const actual = (error as { actualState?: unknown }).actualState;
    return new WrongExpectedRevisionError(streamId, expected, typeof actual === 'bigint' ? actual : 'no_stream');
  }
  if (unavailable(error)) return new EventStoreUnavailableError(`KurrentDB is unavailable: ${(error as Error).message}`, error);
  return error instanceof Error ? error : new Error(String(error));
}

/** Server-side filter where the protocol has one (one filter per read): stream prefixes first. */
function serverFilter(filter: EventFilter | undefined, checkpoint?: Filter['checkpointReached']): Filter | undefined {
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0) {
    return { filterOn: 'streamName', prefixes: [...filter.streamPrefixes], checkpointInterval: 1, ...(checkpoint ? { checkpointReached: checkpoint } : {}) } as Filter;
  }
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    return { filterOn: 'eventType', prefixes: [...filter.eventTypes], checkpointInterval: 1, ...(checkpoint ? { checkpointReached: checkpoint } : {}) } as Filter;
  }
  return undefined;
}

const readPosition = (p: Position | undefined): ReadPosition => (p === undefined || comparePositions(p, START) <= 0 ? 'start' : { commit: p.commit, prepare: p.prepare });

/**
 * The production event store: EventStoreDB/KurrentDB through @kurrent/kurrentdb-client, behind the
 * same port and contract suite as the embedded store.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentClient;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    if (!options.client && !options.connectionString) throw new Error('KurrentDbEventStore needs a connection string or a client');
    this.client = options.client ?? connect(options.connectionString!);
  }

  async append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new TypeError('An append needs at least one event');
    try {
      // The client's stream states are the port's own words: 'no_stream', 'stream_exists', 'any', or a revision.
      const result = await this.client.appendToStream(streamId, events.map(toEventData), { streamState: expectedRevision });
      if (!result.position) throw new Error(`KurrentDB acknowledged an append to ${streamId} without a position`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: toPosition(result.position) };
    } catch (error) {
      throw mapError(streamId, expectedRevision, error);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? 'start',
        direction: 'forwards',
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) if (resolved.event) events.push(fromRecorded(resolved.event));
    } catch (error) {
      if (errorName(error) === 'StreamNotFoundError') return [];
      throw mapError(streamId, 'any', error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? 1000;
    const found: RecordedEvent[] = [];
    let after = options.after ?? START;
    // Client-side checks (exact types, system events) may drop events: read on until the page is full or the log ends.
    for (;;) {
      const chunk = Math.max(maxCount, 100);
      let read = 0;
      try {
        for await (const resolved of this.client.readAll({ fromPosition: readPosition(after), direction: 'forwards', maxCount: chunk, filter: serverFilter(options.filter) })) {
          const event = resolved.event;
          if (!event) continue;
          read++;
          const position = toPosition(event.position);
          // readAll's fromPosition is inclusive; the port's `after` is not.
          if (comparePositions(position, after) <= 0) continue;
          after = position;
          if (isSystemEvent(event) || !matchesFilter(options.filter, event.streamId, event.type)) continue;
          found.push(fromRecorded(event));
          if (found.length >= maxCount) return found;
        }
      } catch (error) {
        throw mapError('$all', 'any', error);
      }
      if (read < chunk) return found;
    }
  }

  async headPosition(): Promise<Position> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1, filter: { filterOn: 'eventType', regex: '^[^$]', checkpointInterval: 1 } as Filter })) {
        if (resolved.event) return toPosition(resolved.event.position);
      }
    } catch (error) {
      throw mapError('$all', 'any', error);
    }
    return START;
  }

  /**
   * A catch-up subscription to $all that survives dropped connections: on an error or an end it
   * resubscribes from the last delivered position (KurrentDB subscriptions do not do it themselves),
   * with bounded exponential back-off. Events are delivered in batches with back-pressure: the
   * gRPC stream is paused while the handler works.
   */
  subscribe(handler: SubscriptionHandler, options: KurrentSubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    const delays = this.options.resubscribeDelayMs ?? { initial: 100, max: 10_000 };
    let last: Position = options.after ?? START;
    let stopped = false;
    let current: AllStreamSubscription | undefined;
    let wake: () => void = () => undefined;
    let interrupt: () => void = () => undefined;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    const consume = async (subscription: AllStreamSubscription): Promise<void> => {
      const buffer: AllStreamResolvedEvent[] = [];
      let ended: { error?: unknown } | undefined;
      let signal: () => void = () => undefined;
      const notify = () => signal();
      interrupt = notify;
      subscription.on('data', (resolved: AllStreamResolvedEvent) => {
        buffer.push(resolved);
        if (buffer.length >= batchSize) subscription.pause();
        notify();
      });
      subscription.on('error', (error: Error) => {
        ended = { error };
        notify();
      });
      subscription.on('end', () => {
        ended ??= {};
        notify();
      });
      subscription.on('close', () => {
        ended ??= {};
        notify();
      });
      for (;;) {
        if (stopped) return;
        if (buffer.length === 0) {
          if (ended) {
            if (ended.error) throw ended.error;
            throw new Error('The subscription ended');
          }
          await new Promise<void>((resolve) => (signal = resolve));
          continue;
        }
        const taken = buffer.splice(0, batchSize);
        const batch: RecordedEvent[] = [];
        for (const resolved of taken) {
          const event = resolved.event;
          if (!event) continue;
          const position = toPosition(event.position);
          // After a resubscription the server may send the last delivered event again.
          if (comparePositions(position, last) <= 0) continue;
          last = position;
          if (isSystemEvent(event) || !matchesFilter(options.filter, event.streamId, event.type)) continue;
          batch.push(fromRecorded(event));
        }
        if (batch.length > 0) await handlerCall(batch);
        if (buffer.length < batchSize && subscription.isPaused()) subscription.resume();
      }
    };

    class HandlerFailure extends Error {
      constructor(readonly error: unknown) {
        super('handler failed');
      }
    }
    const handlerCall = async (batch: RecordedEvent[]) => {
      try {
        await handler(batch);
      } catch (error) {
        throw new HandlerFailure(error);
      }
    };

    const run = async () => {
      let delay = delays.initial;
      while (!stopped && !this.closed) {
        const checkpoint: Filter['checkpointReached'] | undefined = options.onCheckpoint
          ? async (_sub, position) => {
              const p = toPosition(position);
              // A checkpoint moves the resume point past a sparse filter's gaps.
              if (comparePositions(p, last) > 0) last = p;
              await options.onCheckpoint!(p);
            }
          : undefined;
        try {
          current = this.client.subscribeToAll({ fromPosition: readPosition(last), filter: serverFilter(options.filter, checkpoint) });
          await consume(current);
        } catch (error) {
          if (error instanceof HandlerFailure) throw error.error;
          if (stopped || this.closed) break;
          this.options.logger?.warn('KurrentDB subscription dropped; resubscribing from the last delivered position', {
            error: (error as Error)?.message,
            position: `${last.commit}/${last.prepare}`,
            retryInMs: delay,
          });
          await current?.unsubscribe().catch(() => undefined);
          await sleep(delay);
          delay = Math.min(delay * 2, delays.max);
          continue;
        }
        delay = delays.initial;
      }
    };

    const closed = run().finally(() => current?.unsubscribe().catch(() => undefined));
    closed.catch(() => undefined);
    const subscription: Subscription = {
      closed,
      stop: async () => {
        stopped = true;
        wake();
        interrupt();
        await closed.catch(() => undefined);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
  }
}

export async function openKurrentDbEventStore(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
  return new KurrentDbEventStore(options);
}
