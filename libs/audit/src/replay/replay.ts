import { ORDER_STREAM_PREFIX, orderStreamId } from '@csp/domain';
import { comparePositions, START, type EventStore, type Position, type RecordedEvent } from '@csp/event-store';
import { accessOf, inQuery, normaliseQuery, type AuditQuery, type KeyAccessEntry } from '../key-access-history.rules';
import { KEY_ACCESS_EVENT_TYPES, KEY_ACCESS_INDEXES } from '../key-access.rules';
import { reportHeader, ReportWriter, type ReportFormat } from '../report/report';

export interface ReplayProgress {
  /** Key-access events read from the store so far (in and out of the query). */
  readonly scanned: number;
  /** Position of the last event read. */
  readonly position: Position;
  /** The head the replay stops at. */
  readonly head: Position;
}

export interface ReplayOptions {
  /** Stop at this position (inclusive); default: the head when the replay starts. */
  readonly until?: Position;
  readonly batchSize?: number;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

/**
 * The key-access history straight from the event store: every ProductKeyRevealed,
 * DownloadLinkIssued and SoftwareDownloaded of the order streams, in global order, that falls in
 * the query's scope and range. Reads up to the head as it was when the replay started, so events
 * appended meanwhile do not make two replays of a closed range differ.
 */
export async function* replayKeyAccess(store: EventStore, query: AuditQuery, options: ReplayOptions = {}): AsyncGenerator<Omit<KeyAccessEntry, 'seq'>> {
  const q = normaliseQuery(query);
  const head = options.until ?? (await store.headPosition());
  const accessTypes = new Set<string>(KEY_ACCESS_EVENT_TYPES);
  let scanned = 0;
  for await (const page of pagesToReplay(store, q, options.batchSize ?? 1000)) {
    let reachedHead = false;
    for (const event of page) {
      if (comparePositions(event.position, head) > 0) {
        reachedHead = true;
        break;
      }
      // An index holds its types in any stream; the history is the order streams' (as the global read filters).
      if (!accessTypes.has(event.type) || !event.streamId.startsWith(ORDER_STREAM_PREFIX)) continue;
      scanned++;
      const access = accessOf(event);
      if (access && inQuery(q, access)) yield access;
    }
    const position = page[page.length - 1]!.position;
    options.onProgress?.({ scanned, position, head });
    if (reachedHead || comparePositions(position, head) >= 0) return;
  }
}

/**
 * Where a replay reads, in global order, page by page (never an empty page): one order's history
 * is its own stream, whose revisions follow the global order, so a replay by order reads that
 * instead of the whole log; a customer, user or partner is read through the store's index of the
 * key-access events by that scope and instant (the most selective the query names), where the
 * store keeps it; otherwise the key-access events of every order stream. Whichever is read, the
 * query's own rule (inQuery) decides what is in the answer, so the answer is the same.
 */
async function* pagesToReplay(store: EventStore, q: AuditQuery, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  if (q.orderId !== undefined) {
    for (let from = 0n; ; from += BigInt(pageSize)) {
      const page = await store.readStream(orderStreamId(q.orderId), { fromRevision: from, maxCount: pageSize });
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
    }
  }
  const scope = indexedScope(q);
  if (scope && store.readIndexed) {
    // Each indexed page sorts the range's entries into global order (the index is by key and
    // instant): larger pages, fewer sorts, for a scope with a long history.
    const indexedPageSize = Math.max(pageSize, INDEXED_PAGE_SIZE);
    for (let after: Position = START, first = true; ; first = false) {
      const page = await store.readIndexed(scope.index, { ...scope.range, after, maxCount: indexedPageSize });
      if (page === undefined) {
        if (first) break;
        throw new Error(`The event store stopped keeping the index ${scope.index.name} during a replay`);
      }
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.position;
    }
  }
  let after: Position = START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter: { streamPrefixes: [ORDER_STREAM_PREFIX], eventTypes: KEY_ACCESS_EVENT_TYPES } });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.position;
  }
}

export interface ExportResult {
  readonly entries: number;
  readonly finalDigest: string;
  /** The head the replay stopped at. */
  readonly head: Position;
}

/**
 * Replays the query and writes the report, line by line, to `write` (which may apply
 * back-pressure by returning a promise).
 */
export async function exportKeyAccessReport(
  store: EventStore,
  query: AuditQuery,
  format: ReportFormat,
  write: (text: string) => void | Promise<void>,
  options: ReplayOptions = {},
): Promise<ExportResult> {
  const q = normaliseQuery(query);
  const head = options.until ?? (await store.headPosition());
  const writer = new ReportWriter(format, reportHeader(q));
  let buffer = writer.start();
  for await (const access of replayKeyAccess(store, q, { ...options, until: head })) {
    buffer += writer.add(access);
    if (buffer.length >= 64 * 1024) {
      await write(buffer);
      buffer = '';
    }
  }
  buffer += writer.finish();
  await write(buffer);
  return { entries: writer.entries, finalDigest: writer.finalDigest, head };
}

const DAY_MS = 86_400_000;
const INDEXED_PAGE_SIZE = 10_000;
/** The scopes of a query an index can narrow it to, the most selective first (their names are the query's and KEY_ACCESS_INDEXES'). */
const INDEXED_SCOPES = ['customerId', 'user', 'partnerTenantId'] as const satisfies readonly (keyof typeof KEY_ACCESS_INDEXES & keyof AuditQuery)[];

/**
 * The index to read for a query and the range of instants to ask it for, as text: the query's
 * days widened by one on each side, so that every instant in the range is in it whatever zone
 * offset its text was written with (an ISO-8601 instant begins with its local date, at most a day
 * from its UTC date). Undefined when the query names no indexed scope, or its range reaches
 * beyond years of four digits, where text order is not time order.
 */
function indexedScope(q: AuditQuery) {
  const scope = INDEXED_SCOPES.find((name) => q[name] !== undefined);
  if (scope === undefined) return undefined;
  const key = q[scope]!;
  const index = KEY_ACCESS_INDEXES[scope];
  const from = new Date(Date.parse(q.from) - DAY_MS).toISOString().slice(0, 10);
  const before = new Date(Date.parse(q.to) + 2 * DAY_MS).toISOString().slice(0, 10);
  if (!/^\d{4}-/.test(from) || !/^\d{4}-/.test(before)) return undefined;
  return { index, range: { key, from, before } };
}
