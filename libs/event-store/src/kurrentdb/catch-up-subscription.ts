import type { AllStreamResolvedEvent, AllStreamSubscription, Filter } from '@kurrent/kurrentdb-client';
import type { Logger } from '@csp/config';
import {
  comparePositions,
  formatPosition,
  matchesFilter,
  type EventFilter,
  type Position,
  type RecordedEvent,
  type Subscription,
  type SubscriptionHandler,
} from '../port';
import type { KurrentClient } from './client';
import { fromRecorded, isSystemEvent, toPosition, toReadPosition, toServerFilter } from './mapping';

/** Delay before each resubscription: `initial`, doubling after every failed attempt, never above `max`. */
export interface BackOff {
  readonly initial: number;
  readonly max: number;
}

export interface CatchUpSubscriptionOptions {
  /** Exclusive. */
  readonly after: Position;
  readonly filter?: EventFilter;
  readonly batchSize: number;
  readonly backOff: BackOff;
  readonly onCheckpoint?: (position: Position) => void | Promise<void>;
  readonly logger?: Logger;
}

/** Marks a failure on this side (handler, checkpoint hook, unreadable event): it stops the subscription, where a connection failure only resubscribes. */
class ConsumerFailure {
  constructor(readonly error: unknown) {}
}

/** Wakes whoever waits for something to change (the server sent something, stop() was called). */
class Signal {
  private waiting: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  notify(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * One server-side subscription to $all, seen as a queue of events and checkpoints in log order.
 *
 * The client runs checkpoint callbacks while events read before them may still sit in its
 * stream's buffer. A checkpoint is therefore recorded with the number of events the stream had
 * produced before it, and only becomes due once the consumer has taken that many: a checkpoint
 * never overtakes an event it covers.
 */
class ServerFeed {
  private readonly events: AllStreamResolvedEvent[] = [];
  private readonly checkpoints: { readonly position: Position; readonly afterEvents: number }[] = [];
  private received = 0;
  private taken = 0;
  private ending: { readonly error?: unknown } | undefined;
  private closing: Promise<void> | undefined;
  private readonly subscription: AllStreamSubscription;
  /** Notified on every event, checkpoint and end from the server, and by stop(). */
  readonly changed = new Signal();

  /** `onAlive` runs on every sign that the server is serving this subscription. */
  constructor(
    client: KurrentClient,
    from: Position,
    filter: EventFilter | undefined,
    private readonly highWaterMark: number,
    onAlive: () => void,
  ) {
    const checkpointReached: Filter['checkpointReached'] = (subscription, position) => {
      this.checkpoints.push({ position: toPosition(position), afterEvents: this.received + subscription.readableLength });
      onAlive();
      this.changed.notify();
    };
    this.subscription = client.subscribeToAll({ fromPosition: toReadPosition(from), filter: toServerFilter(filter, checkpointReached) });
    this.subscription.on('confirmation', onAlive);
    this.subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      this.events.push(resolved);
      this.received++;
      // Back-pressure on the gRPC stream: stop reading while the handler works through a full batch.
      if (this.events.length >= this.highWaterMark) this.subscription.pause();
      onAlive();
      this.changed.notify();
    });
    const end = (error?: unknown) => {
      this.ending ??= error === undefined ? {} : { error };
      this.changed.notify();
    };
    this.subscription.on('error', (error: Error) => end(error));
    this.subscription.on('end', () => end());
    this.subscription.on('close', () => end());
  }

  /** The next events to deliver, up to `max` and never past the next checkpoint, so each checkpoint is reported in its place. */
  takeEvents(max: number): AllStreamResolvedEvent[] {
    const nextCheckpoint = this.checkpoints[0];
    const taken = this.events.splice(0, nextCheckpoint ? Math.min(max, nextCheckpoint.afterEvents - this.taken) : max);
    this.taken += taken.length;
    if (this.events.length < this.highWaterMark && this.subscription.isPaused()) this.subscription.resume();
    return taken;
  }

  /** The checkpoints whose preceding events have all been taken. */
  takeDueCheckpoints(): Position[] {
    const due: Position[] = [];
    while (this.checkpoints[0] && this.checkpoints[0].afterEvents <= this.taken) due.push(this.checkpoints.shift()!.position);
    return due;
  }

  get hasWork(): boolean {
    return this.events.length > 0 || (this.checkpoints[0] !== undefined && this.checkpoints[0].afterEvents <= this.taken);
  }

  /** Set once the server stream errored or ended; what was buffered before is still delivered. */
  get ended(): { readonly error?: unknown } | undefined {
    return this.hasWork ? undefined : this.ending;
  }

  close(): Promise<void> {
    this.closing ??= this.subscription.unsubscribe().catch(() => undefined);
    return this.closing;
  }
}

/**
 * A catch-up subscription to $all that outlives dropped connections. KurrentDB subscriptions do
 * not resubscribe by themselves: when the server stream fails or ends, this one resubscribes from
 * the last position it has seen, with bounded exponential back-off, and drops anything the server
 * sends again at or before that position — so the handler sees no gap and no duplicate.
 *
 * Batches are delivered one at a time (the next waits for the handler's promise) and the gRPC
 * stream is paused while a full batch waits. A handler or checkpoint-hook failure stops the
 * subscription and rejects `closed`; a connection failure never does.
 */
export class CatchUpSubscription implements Subscription {
  readonly closed: Promise<void>;
  /** The last event seen (delivered or filtered out) or checkpoint passed: where a resubscription starts. */
  private seen: Position;
  private stopping = false;
  private wakeSleeper: (() => void) | undefined;
  private feed: ServerFeed | undefined;

  constructor(
    private readonly client: KurrentClient,
    private readonly handler: SubscriptionHandler,
    private readonly options: CatchUpSubscriptionOptions,
  ) {
    this.seen = options.after;
    this.closed = this.run();
    this.closed.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleeper?.();
    this.feed?.changed.notify();
    await this.closed.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { backOff, logger } = this.options;
    let delay = backOff.initial;
    let dropped = false;
    try {
      while (!this.stopping) {
        const feed: ServerFeed = new ServerFeed(this.client, this.seen, this.options.filter, this.options.batchSize, () => {
          // A late sign from a replaced feed says nothing about the current connection.
          if (!dropped || this.feed !== feed) return;
          dropped = false;
          delay = backOff.initial;
          logger?.info('KurrentDB subscription resumed', { after: formatPosition(this.seen) });
        });
        this.feed = feed;
        const error = await this.consume(feed);
        await feed.close();
        if (this.stopping) break;
        dropped = true;
        logger?.warn('KurrentDB subscription dropped; resubscribing after the last position seen', {
          error: error instanceof Error ? error.message : 'the server ended the subscription',
          after: formatPosition(this.seen),
          retryInMs: delay,
        });
        await this.sleep(delay);
        delay = Math.min(delay * 2, backOff.max);
      }
    } catch (failure) {
      throw failure instanceof ConsumerFailure ? failure.error : failure;
    } finally {
      await this.feed?.close();
    }
  }

  /** Delivers what one server subscription sends until it ends (returning its error) or stop() is called. */
  private async consume(feed: ServerFeed): Promise<unknown> {
    for (;;) {
      if (this.stopping) return undefined;
      if (!feed.hasWork) {
        const ended = feed.ended;
        if (ended) return ended.error;
        await feed.changed.wait();
        continue;
      }
      const batch = this.fresh(feed.takeEvents(this.options.batchSize));
      if (batch.length > 0) await this.call(() => this.handler(batch));
      for (const position of feed.takeDueCheckpoints()) {
        if (comparePositions(position, this.seen) <= 0) continue;
        this.seen = position;
        const onCheckpoint = this.options.onCheckpoint;
        if (onCheckpoint) await this.call(() => onCheckpoint(position));
      }
    }
  }

  /** The events not seen before that the port's filter lets through, in the port's shape. */
  private fresh(events: readonly AllStreamResolvedEvent[]): RecordedEvent[] {
    const batch: RecordedEvent[] = [];
    for (const { event } of events) {
      if (!event) continue;
      const position = toPosition(event.position);
      // A resubscription may start with the event it resumed from.
      if (comparePositions(position, this.seen) <= 0) continue;
      if (!isSystemEvent(event) && matchesFilter(this.options.filter, event.streamId, event.type)) {
        try {
          batch.push(fromRecorded(event));
        } catch (error) {
          throw new ConsumerFailure(error);
        }
      }
      this.seen = position;
    }
    return batch;
  }

  private async call(work: () => void | Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw new ConsumerFailure(error);
    }
  }

  /** Waits out the back-off; stop() cuts it short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleeper = wake;
    });
  }
}
