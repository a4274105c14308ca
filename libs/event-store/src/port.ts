/**
 * The event store port. Three adapters implement it: the embedded SQLite store (the default),
 * KurrentDB/EventStoreDB and PostgreSQL. All pass the one contract suite in ./contract.
 */

/**
 * A position in the global order of all events. KurrentDB positions are a (commit, prepare)
 * pair of 64-bit log offsets; the SQLite store uses its global sequence number for both;
 * PostgreSQL's are (transaction id, row position). Compare with comparePositions, never with
 * field arithmetic.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Before the first event: reading or subscribing "from START" starts after it. */
export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export type ExpectedRevision =
  /** The stream must not exist yet. */
  | 'no_stream'
  /** The stream must exist (at any revision). */
  | 'stream_exists'
  /** No check. */
  | 'any'
  /** The stream's last event must have exactly this revision (0-based). */
  | bigint;

export interface EventMetadata {
  /** ISO-8601 instant from the service clock at which the command was decided. */
  readonly occurredAt: string;
  /** Who caused the event: the verified claims of the caller's token (user id, tenant id, roles). */
  readonly actor?: {
    /** User id (the token's `sub` claim); `download-link` for a download through a link. */
    readonly sub: string;
    /** The caller's tenant id (the token's `tid` claim). */
    readonly tid: string;
    /** The caller's roles (the token's `roles` claim). */
    readonly roles: readonly string[];
  };
  /** The tenant the event concerns (customer tenant where there is one, else the partner). */
  readonly tenantId?: string;
  /** The partner tenant the event concerns, where there is one. */
  readonly partnerTenantId?: string;
  /** Ties together everything one business request caused, across services (the X-Correlation-Id header, or a new UUID). */
  readonly correlationId: string;
  /** Id of the request (command) that caused the event. */
  readonly causationId?: string;
  /** Version of the payload's schema for this event type (docs/events.md). Readers see the current version: older events are upcast on read. */
  readonly schemaVersion: number;
  /**
   * The W3C trace context (`traceparent` header value) of the command that appended the event, when the service was tracing
   * (OpenTelemetry, `OTEL_EXPORTER_OTLP_ENDPOINT`): a consumer may link its own span to it. Absent otherwise.
   */
  readonly traceparent?: string;
  /**
   * Other keys a reader may meet, e.g. `upcastFrom`: the version the event was stored under, when it was upcast on read;
   * `$traceId` and `$spanId`, which the KurrentDB client's tracing adds to events appended to KurrentDB.
   */
  readonly [extra: string]: unknown;
}

export interface NewEvent {
  /** UUID. Appending the same ids to the same stream again is idempotent. */
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  /** UUID of the event, unique across the store. */
  readonly eventId: string;
  /** The event type, a past-tense name such as `SoftwarePurchased`. */
  readonly type: string;
  /** The stream the event belongs to, e.g. `order-<orderId>`. */
  readonly streamId: string;
  /** 0-based position inside the stream. */
  readonly revision: bigint;
  readonly position: Position;
  /** The payload, JSON: its shape is the event type's schema (docs/schemas/<type>.v<schemaVersion>.json). */
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** When the store recorded it (store clock), ISO-8601. */
  readonly recordedAt: string;
}

export interface AppendResult {
  /** Revision of the last event written (or found, for an idempotent retry). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (or found). */
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0 forwards, the last revision backwards. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  /** `backwards`: newest first, e.g. the last event of a stream with maxCount 1. Default `forwards`. */
  readonly direction?: 'forwards' | 'backwards';
}

/** Which events a global read or subscription sees. Absent means every event. */
export interface EventFilter {
  /** Stream name prefixes, e.g. ['order-', 'customers-']. */
  readonly streamPrefixes?: readonly string[];
  /** Exact event types. */
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position; default START. */
  readonly after?: Position;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive: deliver events strictly after this position; default START. */
  readonly after?: Position;
  readonly filter?: EventFilter;
  /** Events per delivered batch, at most. */
  readonly batchSize?: number;
}

/**
 * A catch-up subscription: delivers every matching event after `after`, in global order, then
 * follows live appends. The next batch is not delivered before the handler's promise resolves
 * (back-pressure). If the handler throws, the subscription stops and `closed` rejects with it.
 */
export interface Subscription {
  /** Resolves when stop() was called and delivery stopped; rejects if delivery failed. */
  readonly closed: Promise<void>;
  stop(): Promise<void>;
}

export interface SubscriptionHandler {
  (events: readonly RecordedEvent[]): Promise<void> | void;
}

/** One stream's part of appendInOrder. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

/**
 * A secondary index over event data, which a store may keep: the SQL stores keep each one declared
 * when they are opened as an expression index the database maintains in each append's own
 * transaction. For each event type it covers: the path in the stored data of the key, and of the
 * event's instant (ISO-8601 text, beginning with its date). Paths are dotted field names
 * (`revealedBy.sub`). A store names the index after its definition, so a changed definition is a
 * new index.
 */
export interface DataIndex {
  /** Lowercase letters, digits and `_`, e.g. `key_access_by_partner`. */
  readonly name: string;
  readonly fields: Readonly<Record<string, { readonly key: string; readonly at: string }>>;
}

export interface IndexedReadOptions {
  /** The key's value, compared exactly. */
  readonly key: string;
  /** The instant's range, compared as text: `from` inclusive, `before` exclusive. */
  readonly from: string;
  readonly before: string;
  /** Exclusive, as in readAll; default START. */
  readonly after?: Position;
  readonly maxCount?: number;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Optional: appends to any streams that take their places in the global order in the order given,
   * each checked and idempotent as append is, in one commit (or a few) instead of one per append.
   * For copying a history between stores; without it, a caller awaits each append before the next.
   */
  appendInOrder?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in revision order; [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of the global log. An empty array means the end was reached. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional: one page, in global order, of the events an index holds for one key in an instant
   * range (an empty page: the end). Resolves undefined when the store does not keep that index
   * (it was not declared when the store was opened, nor found in the store), so the caller reads
   * with readAll instead.
   */
  readIndexed?(index: DataIndex, options: IndexedReadOptions): Promise<RecordedEvent[] | undefined>;
  subscribe(handler: SubscriptionHandler, options?: SubscribeOptions): Subscription;
  /** Position of the last event in the store (START when empty). */
  headPosition(): Promise<Position>;
  close(): Promise<void>;
}

/** Thrown when the expected revision does not match; the caller reloads and retries. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Wrong expected revision on ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The store could not be reached or failed; nothing is known to be written. */
export class EventStoreUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Text form for APIs and checkpoints: "<commit>" when both halves agree, else "<commit>/<prepare>". */
export function formatPosition(p: Position): string {
  return p.commit === p.prepare ? p.commit.toString() : `${p.commit}/${p.prepare}`;
}

export function parsePosition(text: string): Position | undefined {
  const m = /^(-1|\d{1,20})(?:\/(-1|\d{1,20}))?$/.exec(text.trim());
  if (!m) return undefined;
  const commit = BigInt(m[1]!);
  const prepare = m[2] === undefined ? commit : BigInt(m[2]);
  return { commit, prepare };
}

export function matchesFilter(filter: EventFilter | undefined, streamId: string, type: string): boolean {
  if (!filter) return true;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((p) => streamId.startsWith(p))) return false;
  if (filter.eventTypes && !filter.eventTypes.includes(type)) return false;
  return true;
}

/**
 * The file a reader was pointed at is not an event store this program can read: missing, not a
 * file, empty, not SQLite, or SQLite without the store's schema. The operator named the wrong file
 * (a usage error for a command line), as opposed to a store that is there and fails.
 */
export class NotAnEventStoreError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotAnEventStoreError';
  }
}
