import { formatPosition, type AppendResult, type EventStore, type Position, type RecordedEvent, type StreamAppend } from '../port';
import { digestHistory, HistoryDigest, historyPages, type HistoryReadOptions, type HistorySummary } from './history';

/**
 * The target of a copy holds events that are not a beginning of the source's history: another
 * install's, or a store the product already ran on. Nothing was written.
 */
export class TargetHoldsOtherEventsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetHoldsOtherEventsError';
  }
}

export interface HistoryCopyProgress {
  /** `checking`: the events already on the target against the source's; `copying`; `comparing`: the target's digest. */
  readonly phase: 'checking' | 'copying' | 'comparing';
  /** Events of that phase so far. */
  readonly events: number;
}

export interface HistoryCopyOptions {
  readonly source: EventStore;
  readonly target: EventStore;
  /** The source's last position to copy, inclusive: its head when the copy started. */
  readonly until: Position;
  /** Streams that are not history on either side (HistoryReadOptions). */
  readonly excludedStreamPrefixes?: readonly string[];
  /** Events per commit on the target (a page of the source); default 1000. */
  readonly batchEvents?: number;
  readonly onProgress?: (progress: HistoryCopyProgress) => void;
  /** Source positions (formatPosition) whose events the caller needs to find on the target: see `located`. */
  readonly locate?: ReadonlySet<string>;
}

export interface HistoryCopyResult {
  /** Events the target held already, found to be the source's first ones (a resumed copy). */
  readonly alreadyOnTarget: number;
  readonly copied: number;
  /** The source's history up to `until`, and the target's whole history, digested independently. */
  readonly source: HistorySummary;
  readonly target: HistorySummary;
  /** For each position of `locate` the source has an event at: that event's stream and revision, which the copy keeps. */
  readonly located: ReadonlyMap<string, { readonly streamId: string; readonly revision: bigint }>;
}

/**
 * Copies a store's history to another one: every event with its stream, revision, id, type, data
 * and metadata, in global order. Resumable: the events already on the target must be the source's
 * first ones (checked one by one, else TargetHoldsOtherEventsError before anything is written),
 * and the copy goes on after them; appends carry the source's event ids and revisions, so a retried
 * append is idempotent. Ends by digesting the target's history on its own, for the caller to
 * compare with the source's.
 */
export async function copyHistory(options: HistoryCopyOptions): Promise<HistoryCopyResult> {
  const { source, target, onProgress } = options;
  const reading: HistoryReadOptions = { excludedStreamPrefixes: options.excludedStreamPrefixes ?? [], pageSize: options.batchEvents ?? 1000 };
  const sourceEvents = new Cursor(historyPages(source, { ...reading, until: options.until }));
  const digest = new HistoryDigest();
  const located = new Map<string, { streamId: string; revision: bigint }>();
  const seen = (event: RecordedEvent) => {
    digest.add(event);
    if (options.locate?.has(formatPosition(event.position)))
      located.set(formatPosition(event.position), { streamId: event.streamId, revision: event.revision });
  };

  let alreadyOnTarget = 0;
  for await (const page of historyPages(target, reading)) {
    for (const found of page) {
      const expected = await sourceEvents.next();
      if (!expected || !sameEvent(found, expected)) throw new TargetHoldsOtherEventsError(otherEventsMessage(alreadyOnTarget, found, expected));
      seen(expected);
      alreadyOnTarget++;
    }
    onProgress?.({ phase: 'checking', events: alreadyOnTarget });
  }

  let copied = 0;
  for (let batch = await sourceEvents.rest(); batch.length > 0; batch = await sourceEvents.rest()) {
    await appendInOrder(target, appendsOf(batch));
    for (const event of batch) seen(event);
    copied += batch.length;
    onProgress?.({ phase: 'copying', events: alreadyOnTarget + copied });
  }

  const targetSummary = await digestHistory(target, { ...reading, onPage: (events) => onProgress?.({ phase: 'comparing', events }) });
  return { alreadyOnTarget, copied, source: { events: digest.events, digest: digest.value() }, target: targetSummary, located };
}

/** What both sides must agree on before the copy may go on after an event. */
const sameEvent = (a: RecordedEvent, b: RecordedEvent) => a.eventId === b.eventId && a.streamId === b.streamId && a.revision === b.revision;

function otherEventsMessage(index: number, found: RecordedEvent, expected: RecordedEvent | undefined): string {
  const describe = (e: RecordedEvent) => `${e.type} ${e.eventId} (${e.streamId}@${e.revision})`;
  if (index === 0 && !expected) return `The target is not empty: it holds ${describe(found)} and the source has no events`;
  if (index === 0) return `The target is not empty: it holds events of another history (its first is ${describe(found)}, the source's ${describe(expected!)})`;
  return expected
    ? `The target holds other events: its event #${index + 1} is ${describe(found)}, the source's ${describe(expected)}`
    : `The target holds more events than the source: its event #${index + 1} is ${describe(found)}`;
}

/** Consecutive events of one stream as one append, at the revision they have in the source. */
function appendsOf(events: readonly RecordedEvent[]): StreamAppend[] {
  const appends: { streamId: string; events: RecordedEvent[] }[] = [];
  for (const event of events) {
    const last = appends[appends.length - 1];
    if (last?.streamId === event.streamId) last.events.push(event);
    else appends.push({ streamId: event.streamId, events: [event] });
  }
  return appends.map(({ streamId, events: recorded }) => ({
    streamId,
    expectedRevision: recorded[0]!.revision === 0n ? 'no_stream' : recorded[0]!.revision - 1n,
    events: recorded.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })),
  }));
}

/** One commit where the target can; else each append awaited before the next, which keeps the global order too. */
async function appendInOrder(target: EventStore, appends: readonly StreamAppend[]): Promise<void> {
  let results: AppendResult[] = [];
  if (target.appendInOrder) results = await target.appendInOrder(appends);
  else for (const append of appends) results.push(await target.append(append.streamId, append.events, append.expectedRevision));
  // The revision check of each append already holds the revisions; this catches a store that numbers otherwise.
  results.forEach((result, i) => {
    const append = appends[i]!;
    const expected = (append.expectedRevision === 'no_stream' ? -1n : (append.expectedRevision as bigint)) + BigInt(append.events.length);
    if (result.nextExpectedRevision !== expected)
      throw new Error(`The target numbered ${append.streamId} up to revision ${result.nextExpectedRevision}, the source up to ${expected}`);
  });
}

/** Reads a history event by event, or by what is left of the page in hand. */
class Cursor {
  private page: RecordedEvent[] = [];
  private index = 0;

  constructor(private readonly pages: AsyncIterator<RecordedEvent[]>) {}

  async next(): Promise<RecordedEvent | undefined> {
    if (!(await this.fill())) return undefined;
    return this.page[this.index++];
  }

  /** The rest of the page in hand, or the next page; [] at the end. */
  async rest(): Promise<RecordedEvent[]> {
    if (!(await this.fill())) return [];
    const rest = this.page.slice(this.index);
    this.index = this.page.length;
    return rest;
  }

  private async fill(): Promise<boolean> {
    while (this.index >= this.page.length) {
      const read = await this.pages.next();
      if (read.done) return false;
      this.page = read.value;
      this.index = 0;
    }
    return true;
  }
}
