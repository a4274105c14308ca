import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../application/src/canonical-json';
import { comparePositions, START, type EventStore, type Position, type RecordedEvent } from '../port';

/**
 * A store's history: every event of its global log, in order, but those of streams that are not
 * history (KurrentDB keeps the keyring's streams in its log, and a copy must not turn wrapped data
 * keys into events nobody can ever delete).
 */
export interface HistoryReadOptions {
  /** Inclusive: the last position read, the head when the reader started; default the end of the log. */
  readonly until?: Position;
  /** Streams whose names start so are left out. */
  readonly excludedStreamPrefixes?: readonly string[];
  /** Events per read; default 1000. */
  readonly pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 1000;

/** The history in pages, in global order; no page is empty. */
export async function* historyPages(store: EventStore, options: HistoryReadOptions = {}): AsyncGenerator<RecordedEvent[]> {
  const excluded = options.excludedStreamPrefixes ?? [];
  let after = START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: options.pageSize ?? DEFAULT_PAGE_SIZE });
    if (page.length === 0) return;
    after = page[page.length - 1]!.position;
    const within = options.until ? page.filter((event) => comparePositions(event.position, options.until!) <= 0) : page;
    const kept = excluded.length === 0 ? within : within.filter((event) => !excluded.some((prefix) => event.streamId.startsWith(prefix)));
    if (kept.length > 0) yield kept;
    if (within.length < page.length) return;
  }
}

/**
 * The digest of a history: SHA-256 over one line per event, in global order, each the canonical
 * JSON of [stream, revision, event id, type, data, metadata] and a line feed. Those are what every
 * store keeps as it was given; positions and recording instants are each store's own, so they are
 * left out, and a copy to another store has the digest of its source. Canonical JSON makes it
 * independent of how a store spells its JSON (key order, spacing, numbers).
 */
export class HistoryDigest {
  private readonly hash = createHash('sha256');
  private counted = 0;

  add(event: RecordedEvent): void {
    this.hash.update(`${canonicalJson([event.streamId, event.revision.toString(), event.eventId, event.type, event.data, event.metadata])}\n`);
    this.counted++;
  }

  get events(): number {
    return this.counted;
  }

  /** `sha256:<hex>` of the events added so far. */
  value(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }
}

export interface HistorySummary {
  readonly events: number;
  /** HistoryDigest's value. */
  readonly digest: string;
}

/** Reads a store's history and digests it; `onPage` is told the events read so far. */
export async function digestHistory(
  store: EventStore,
  options: HistoryReadOptions & { readonly onPage?: (events: number) => void } = {},
): Promise<HistorySummary> {
  const digest = new HistoryDigest();
  for await (const page of historyPages(store, options)) {
    for (const event of page) digest.add(event);
    options.onPage?.(digest.events);
  }
  return { events: digest.events, digest: digest.value() };
}
