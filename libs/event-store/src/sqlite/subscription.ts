import { type EventFilter, type RecordedEvent, type SubscribeOptions, type Subscription, type SubscriptionHandler } from '../port';
import { sequenceOf } from './rows';

/** What a subscription needs from the store. */
export interface EventSource {
  /** Sequence number of the last committed event; 0 when the store is empty. */
  head(): number;
  /** Matching events with after < sequence <= upTo, in order, at most `limit`. */
  page(after: number, upTo: number, limit: number, filter: EventFilter | undefined): readonly RecordedEvent[];
  /**
   * Calls the listener after each local commit with the highest position it committed (every
   * position up to it is committed too); returns the way to stop listening.
   */
  onWrite(listener: (head: number) => void): () => void;
  /** How long to sleep between looks for commits made by another process on the same file. */
  readonly pollIntervalMs: number;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Catch-up then live delivery from one loop that reads by position. Every read is bounded by a
 * committed head known before it, and positions are gapless in commit order, so an event committed
 * while the loop reads is either inside the bound or picked up on the next turn: never skipped,
 * never delivered twice. A local commit tells its head; the store is asked for the head only at the
 * start and when the poll timer fires (commits by another process), not on every local commit —
 * with one subscription per read model that was several queries per commit.
 */
export class CatchUpSubscription implements Subscription {
  readonly closed: Promise<void>;
  private stopping = false;
  private wake: ((polled: boolean) => void) | undefined;
  /** The highest position known to be committed. */
  private known = 0;

  constructor(
    private readonly source: EventSource,
    private readonly handler: SubscriptionHandler,
    private readonly options: SubscribeOptions,
  ) {
    const stopListening = source.onWrite((head) => {
      // Only news wakes the loop: a commit that moved nothing (an idempotent retry) must not
      // restart the poll timer, or commits by another process wait as long as the retries go on.
      if (head <= this.known) return;
      this.known = head;
      this.wakeUp(false);
    });
    this.closed = this.deliver().finally(stopListening);
    // The owner observes a failure through `closed`; it must not also surface as unhandled.
    this.closed.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp(false);
    await this.closed.catch(() => undefined);
  }

  private async deliver(): Promise<void> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let scanned = sequenceOf(this.options.after);
    let ask = true;
    while (!this.stopping) {
      if (this.known <= scanned && ask) {
        const polled = this.source.head();
        this.known = Math.max(this.known, polled);
        // Found commits: ask again once they are read, as another process may still be writing.
        ask = polled > scanned;
      }
      const head = this.known;
      if (head <= scanned) {
        ask = await this.sleep();
        continue;
      }
      const events = this.source.page(scanned, head, batchSize, this.options.filter);
      if (events.length > 0) await this.handler(events);
      // A short page means every event up to the head was looked at, matching or not.
      scanned = events.length === batchSize ? Number(events[events.length - 1]!.position.commit) : head;
    }
  }

  /** Resolves true when the poll timer woke it (time to ask the store), false on a local commit or stop. */
  private sleep(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => this.wakeUp(true), this.source.pollIntervalMs);
      this.wake = (polled) => {
        clearTimeout(timer);
        resolve(polled);
      };
    });
  }

  private wakeUp(polled: boolean): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.(polled);
  }
}
