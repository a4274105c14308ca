import { ORDER_STREAM_PREFIX, orderStreamId } from '@csp/domain';
import { comparePositions, START, type EventStore, type Position, type RecordedEvent } from '@csp/event-store';
import { accessOf, inQuery, normaliseQuery, type AuditQuery, type KeyAccessEntry } from '../key-access-history.rules';
import { KEY_ACCESS_EVENT_TYPES } from '../key-access.rules';
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
      if (!accessTypes.has(event.type)) continue;
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
 * instead of the whole log; any other scope reads the key-access events of every order stream.
 */
async function* pagesToReplay(store: EventStore, q: AuditQuery, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  if (q.orderId !== undefined) {
    for (let from = 0n; ; from += BigInt(pageSize)) {
      const page = await store.readStream(orderStreamId(q.orderId), { fromRevision: from, maxCount: pageSize });
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
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
