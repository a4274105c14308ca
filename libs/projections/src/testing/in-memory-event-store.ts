import { matchesFilter, START, WrongExpectedRevisionError } from '@csp/event-store';
import type * as port from '@csp/event-store';

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_READ_COUNT = 4096;

/** The sequence number a position stands for here, where commit and prepare are the same. */
const sequenceOf = (position: port.Position | undefined): number => (position === undefined ? 0 : Math.max(0, Number(position.commit)));
const positionOf = (sequence: number): port.Position => ({ commit: BigInt(sequence), prepare: BigInt(sequence) });

/** JSON round trip: what a real store hands back never aliases what the caller appended. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
const copyRecorded = (event: port.RecordedEvent): port.RecordedEvent => ({
  ...event,
  position: { ...event.position },
  data: copy(event.data),
  metadata: copy(event.metadata),
});

export interface InMemoryEventStoreOptions {
  /** The store clock for `recordedAt`; tests pin it so that two stores fed the same events are equal. */
  readonly now?: () => string;
}

/**
 * An port.EventStore held in this process's memory, faithful to the port: optimistic concurrency,
 * idempotent retries by event id, a gapless global order starting at 1, filtered reads, and
 * catch-up subscriptions with back-pressure (the next batch waits for the handler's promise).
 * For tests of the read side that must not depend on an adapter under construction.
 */
export class InMemoryEventStore implements port.EventStore {
  private readonly log: port.RecordedEvent[] = [];
  private readonly streams = new Map<string, port.RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions = new Set<port.Subscription>();
  private closed = false;

  constructor(private readonly options: InMemoryEventStoreOptions = {}) {}

  async append(streamId: string, events: readonly port.NewEvent[], expectedRevision: port.ExpectedRevision): Promise<port.AppendResult> {
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    const retried = this.retriedAppend(streamId, stream, events, expectedRevision);
    if (retried) return retried;
    const actual = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    const ok =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && actual === 'no_stream') ||
      (expectedRevision === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expectedRevision === 'bigint' && actual === expectedRevision);
    if (!ok) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    if (events.length === 0) return { nextExpectedRevision: actual === 'no_stream' ? -1n : actual, position: positionOf(this.log.length) };
    const recordedAt = this.options.now?.() ?? new Date().toISOString();
    for (const event of events) {
      const recorded: port.RecordedEvent = {
        eventId: event.eventId,
        type: event.type,
        streamId,
        revision: BigInt(stream.length),
        position: positionOf(this.log.length + 1),
        data: copy(event.data),
        metadata: copy(event.metadata),
        recordedAt,
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    for (const listener of [...this.listeners]) listener();
    const last = stream[stream.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** The same event ids appended again answer with what was written; a partial match is a conflict. */
  private retriedAppend(
    streamId: string,
    stream: readonly port.RecordedEvent[],
    events: readonly port.NewEvent[],
    expected: port.ExpectedRevision,
  ): port.AppendResult | undefined {
    const first = events[0];
    if (!first) return undefined;
    const at = stream.findIndex((e) => e.eventId === first.eventId);
    if (at < 0) return undefined;
    const written = stream.slice(at, at + events.length);
    if (written.length !== events.length || written.some((e, i) => e.eventId !== events[i]!.eventId)) {
      throw new WrongExpectedRevisionError(streamId, expected, BigInt(stream.length - 1));
    }
    const last = written[written.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(streamId: string, options: port.ReadStreamOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    if (options.direction === 'backwards') {
      const newest = options.fromRevision !== undefined ? Number(options.fromRevision) : stream.length - 1;
      const upTo = stream.slice(0, Math.max(0, newest + 1)).reverse();
      return upTo.slice(0, options.maxCount).map(copyRecorded);
    }
    const from = Number(options.fromRevision ?? 0n);
    return stream.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount).map(copyRecorded);
  }

  async readAll(options: port.ReadAllOptions = {}): Promise<port.RecordedEvent[]> {
    this.assertOpen();
    return this.page(sequenceOf(options.after), this.log.length, options.maxCount ?? DEFAULT_READ_COUNT, options.filter);
  }

  /** Matching events with after < sequence <= upTo, in order, at most `limit`. */
  private page(after: number, upTo: number, limit: number, filter: port.EventFilter | undefined): port.RecordedEvent[] {
    const found: port.RecordedEvent[] = [];
    for (let i = after; i < upTo && found.length < limit; i++) {
      const event = this.log[i]!;
      if (matchesFilter(filter, event.streamId, event.type)) found.push(copyRecorded(event));
    }
    return found;
  }

  subscribe(handler: port.SubscriptionHandler, options: port.SubscribeOptions = {}): port.Subscription {
    this.assertOpen();
    let stopping = false;
    let wake: (() => void) | undefined;
    const wakeUp = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    this.listeners.add(wakeUp);
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const deliver = async () => {
      let scanned = sequenceOf(options.after);
      while (!stopping) {
        const head = this.log.length;
        if (head <= scanned) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const events = this.page(scanned, head, batchSize, options.filter);
        // Awaiting the handler before reading on is the back-pressure the port promises.
        if (events.length > 0) await handler(events);
        scanned = events.length === batchSize ? Number(events[events.length - 1]!.position.commit) : head;
      }
    };
    const closed = deliver().finally(() => {
      this.listeners.delete(wakeUp);
      this.subscriptions.delete(subscription);
    });
    closed.catch(() => undefined);
    const subscription: port.Subscription = {
      closed,
      async stop() {
        stopping = true;
        wakeUp();
        await closed.catch(() => undefined);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<port.Position> {
    this.assertOpen();
    return this.log.length === 0 ? START : positionOf(this.log.length);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}
