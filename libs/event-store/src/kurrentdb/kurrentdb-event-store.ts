import type { Logger } from '@csp/config';
import { comparePositions, EventStoreUnavailableError, matchesFilter, START } from '../port';
import type * as port from '../port';
import { OpenSubscriptions } from '../open-subscriptions';
import { CatchUpSubscription, type BackOff } from './catch-up-subscription';
import { connect, type KurrentClient } from './client';
import { isStreamNotFound, toPortError } from './errors';
import { fromRecorded, isSystemEvent, toEventData, toPosition, toReadPosition, toServerFilter } from './mapping';

export interface KurrentDbEventStoreOptions {
  /** kurrentdb://…, kdb://…, or esdb://… (translated); with or without +discover. */
  readonly connectionString?: string;
  /** A client to use instead of connecting (tests inject a fake); close() disposes it. */
  readonly client?: KurrentClient;
  readonly logger?: Logger;
  /** Delays between resubscriptions after a dropped subscription; default 100 ms doubling up to 10 s. */
  readonly resubscribeBackOff?: BackOff;
}

export interface KurrentSubscribeOptions extends port.SubscribeOptions {
  /**
   * Called with each checkpoint the server reports (every 32 events it scans, matching or not),
   * once every event before it has been handled. A runner that stores it as its position does
   * not rescan a sparse filter's gaps after a restart.
   */
  readonly onCheckpoint?: (position: port.Position) => void | Promise<void>;
}

const DEFAULT_BACK_OFF: BackOff = { initial: 100, max: 10_000 };
const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_PAGE_SIZE = 1000;
/** Smallest read while filling a page, so a page of 1 past many dropped events is not read one by one. */
const MIN_CHUNK = 100;

/**
 * The production event store: KurrentDB (EventStoreDB) through @kurrent/kurrentdb-client, behind
 * the same port and contract suite as the embedded store.
 */
export class KurrentDbEventStore implements port.EventStore {
  private readonly client: KurrentClient;
  private closed = false;
  private readonly subscriptions = new OpenSubscriptions();

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    if (options.client) this.client = options.client;
    else if (options.connectionString) this.client = connect(options.connectionString);
    else throw new TypeError('KurrentDbEventStore needs a connection string or a client');
  }

  async append(streamId: string, events: readonly port.NewEvent[], expectedRevision: port.ExpectedRevision): Promise<port.AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new TypeError('An append needs at least one event');
    try {
      // The client's stream states are the port's own values: 'no_stream', 'stream_exists', 'any' or a bigint revision.
      const result = await this.client.appendToStream(streamId, events.map(toEventData), { streamState: expectedRevision });
      if (!result.position) throw new Error(`KurrentDB acknowledged an append to ${streamId} without a position`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: toPosition(result.position) };
    } catch (error) {
      throw toPortError(error, streamId, expectedRevision);
    }
  }

  async readStream(streamId: string, options: port.ReadStreamOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    const events: port.RecordedEvent[] = [];
    try {
      const backwards = options.direction === 'backwards';
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? (backwards ? 'end' : 'start'),
        direction: backwards ? 'backwards' : 'forwards',
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const { event } of read) if (event) events.push(fromRecorded(event));
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw toPortError(error, streamId, 'any');
    }
    return events;
  }

  /**
   * The server filters by stream prefix (or type prefix) and drops its own event types; exact
   * types and `$` streams are checked here, so a chunk may shrink: read on until the page is full
   * or the log ends. The server's `fromPosition` is inclusive and the port's `after` is not, so
   * the event at exactly `after` is skipped.
   */
  async readAll(options: port.ReadAllOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    const pageSize = options.maxCount ?? DEFAULT_PAGE_SIZE;
    const chunk = Math.max(pageSize, MIN_CHUNK);
    const page: port.RecordedEvent[] = [];
    let after = options.after ?? START;
    try {
      for (;;) {
        let read = 0;
        for await (const { event } of this.client.readAll({
          fromPosition: toReadPosition(after),
          direction: 'forwards',
          maxCount: chunk,
          filter: toServerFilter(options.filter),
        })) {
          if (!event) continue;
          read++;
          const position = toPosition(event.position);
          if (comparePositions(position, after) <= 0) continue;
          after = position;
          if (isSystemEvent(event) || !matchesFilter(options.filter, event.streamId, event.type)) continue;
          page.push(fromRecorded(event));
          if (page.length >= pageSize) return page;
        }
        if (read < chunk) return page;
      }
    } catch (error) {
      throw toPortError(error, '$all', 'any');
    }
  }

  subscribe(handler: port.SubscriptionHandler, options: KurrentSubscribeOptions = {}): port.Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(this.client, handler, {
      after: options.after ?? START,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      backOff: this.options.resubscribeBackOff ?? DEFAULT_BACK_OFF,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    return this.subscriptions.track(subscription);
  }

  /** The last event that is not the server's own, read backwards from the end of $all. */
  async headPosition(): Promise<port.Position> {
    this.assertOpen();
    try {
      for await (const { event } of this.client.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1, filter: toServerFilter(undefined) })) {
        if (event) return toPosition(event.position);
      }
    } catch (error) {
      throw toPortError(error, '$all', 'any');
    }
    return START;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The KurrentDB event store is closed');
  }
}

export async function openKurrentDbEventStore(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
  return new KurrentDbEventStore(options);
}
