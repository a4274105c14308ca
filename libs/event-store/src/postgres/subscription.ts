import type { Logger } from '@csp/config';
import { START, type EventFilter, type Position, type RecordedEvent, type SubscribeOptions, type Subscription, type SubscriptionHandler } from '../port';
import { isUnavailable, messageOf } from './errors';
import type { Notifications } from './notifications';

/** What a subscription needs from the store. */
export interface EventSource {
  /** Matching events strictly after `after` whose transactions are older than every one still running, in global order. */
  page(after: Position, limit: number, filter: EventFilter | undefined): Promise<readonly RecordedEvent[]>;
  /** Whether committed events wait behind a transaction still running (they become readable when it ends). */
  heldBack(): Promise<boolean>;
  readonly notifications: Notifications;
  /** How long to sleep, at most, between looks when no notification comes. */
  readonly pollIntervalMs: number;
  readonly logger?: Logger;
}

const DEFAULT_BATCH_SIZE = 500;
/** First delay before looking again at events held back by a running transaction; doubles up to the poll interval. */
const HELD_BACK_DELAY_MS = 5;
const RETRY = { initial: 100, max: 10_000 };

/**
 * Catch-up then live delivery from one loop that reads pages in global order after the last
 * delivered position. Every page only holds rows of finished transactions, so a transaction that
 * commits late can never have its rows land behind a position already delivered.
 *
 * Wake-ups: a notification (any process's commit), else the poll interval. A read that found
 * nothing while committed rows wait behind a running transaction looks again soon, doubling the
 * delay. A lost connection is not the subscriber's failure: the loop logs it and retries with
 * back-off from where it was; only the handler's errors (and rows it cannot read) stop it.
 */
export class PostgresSubscription implements Subscription {
  readonly closed: Promise<void>;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: EventSource,
    private readonly handler: SubscriptionHandler,
    private readonly options: SubscribeOptions,
  ) {
    const stopListening = source.notifications.on(() => this.wakeUp());
    this.closed = this.deliver().finally(stopListening);
    // The owner observes a failure through `closed`; it must not also surface as unhandled.
    this.closed.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    await this.closed.catch(() => undefined);
  }

  private async deliver(): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let after = this.options.after ?? START;
    let heldBackDelay = HELD_BACK_DELAY_MS;
    let retryDelay = RETRY.initial;
    while (!this.stopping) {
      const seen = this.source.notifications.count;
      let events: readonly RecordedEvent[];
      let heldBack = false;
      try {
        events = await this.source.page(after, batchSize, this.options.filter);
        if (events.length < batchSize) heldBack = await this.source.heldBack();
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        this.source.logger?.warn('Event store subscription cannot read; retrying', { error: messageOf(error), retryInMs: retryDelay });
        await this.sleep(retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY.max);
        continue;
      }
      if (retryDelay > RETRY.initial) this.source.logger?.info('Event store subscription reads again');
      retryDelay = RETRY.initial;
      if (this.stopping) return;
      if (events.length > 0) {
        await this.handler(events);
        after = events[events.length - 1]!.position;
        heldBackDelay = HELD_BACK_DELAY_MS;
        if (events.length === batchSize) continue;
      }
      if (this.source.notifications.count !== seen) continue;
      if (heldBack) {
        await this.sleep(heldBackDelay);
        heldBackDelay = Math.min(heldBackDelay * 2, this.source.pollIntervalMs);
      } else {
        heldBackDelay = HELD_BACK_DELAY_MS;
        await this.sleep(this.source.pollIntervalMs);
      }
    }
  }

  /** Until the delay passes, a notification comes, or stop() is called. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakeUp(), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
