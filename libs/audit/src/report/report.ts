import { createHash } from 'node:crypto';
// The modules themselves, not @csp/application: its index loads Nest, which the audit CLI's report
// and jest do not need.
import { canonicalJson } from '../../../application/src/canonical-json';
import { csvRecords } from '../../../application/src/csv';
import { ENTRY_COLUMNS, type AuditQuery, type KeyAccessEntry } from '../key-access-history.rules';
import { KEY_ACCESS_EVENT_TYPES } from '../key-access.rules';

/**
 * Audit reports: a header describing the query, the entries in global-position order, and a
 * trailer. A SHA-256 chain runs over the entries — each entry's digest is
 * sha256(previous digest + canonical JSON of the entry), the first previous digest being
 * sha256(canonical JSON of the header) — and the trailer carries the final digest. The chain is
 * over the entries' canonical JSON, not over a format, so a CSV and a JSONL export of the same
 * query end with the same digest; and every line of an export is the one way to write its content,
 * so `checkReport` notices any edited byte.
 *
 * A chain proves integrity against a digest kept elsewhere (write the final digest down, or replay
 * the query again with `check-report --against-store`): whoever edits a report can also recompute
 * its chain.
 */
export type ReportFormat = 'table' | 'csv' | 'jsonl';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'jsonl'];

export const REPORT_NAME = 'csp.key-access-history';
export const REPORT_FORMAT_VERSION = 1;

export interface ReportHeader {
  readonly report: typeof REPORT_NAME;
  readonly formatVersion: number;
  /** The query, with normalised instants. */
  readonly query: AuditQuery;
  readonly eventTypes: readonly string[];
  /** Entries are in global event-store order. */
  readonly order: 'global-position';
  /** Which timestamp `from`/`to` bound. */
  readonly range: 'inclusive, on the access instant (revealedAt, issuedAt, downloadedAt)';
}

export function reportHeader(query: AuditQuery): ReportHeader {
  return {
    report: REPORT_NAME,
    formatVersion: REPORT_FORMAT_VERSION,
    query,
    eventTypes: [...KEY_ACCESS_EVENT_TYPES],
    order: 'global-position',
    range: 'inclusive, on the access instant (revealedAt, issuedAt, downloadedAt)',
  };
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
export const headerDigest = (header: ReportHeader) => sha256(canonicalJson(header));
export const chainDigest = (previous: string, entry: KeyAccessEntry) => sha256(previous + canonicalJson(entry));

// --- JSONL -------------------------------------------------------------------------------------

const jsonlHeader = (header: ReportHeader, digest: string) => `{"header":${canonicalJson(header)},"headerDigest":${JSON.stringify(digest)}}\n`;
const jsonlEntry = (entry: KeyAccessEntry, digest: string) => `{"entry":${canonicalJson(entry)},"digest":${JSON.stringify(digest)}}\n`;
const jsonlTrailer = (entries: number, finalDigest: string) => `{"trailer":{"entries":${entries},"finalDigest":${JSON.stringify(finalDigest)}}}\n`;

// --- CSV ---------------------------------------------------------------------------------------

const CSV_MAGIC = `# ${REPORT_NAME} report, format ${REPORT_FORMAT_VERSION}; header: `;
const CSV_COLUMNS = csvRecords([[...ENTRY_COLUMNS.map((c) => c.name), 'digest']], '\n');

const csvHeader = (header: ReportHeader, digest: string) => `${CSV_MAGIC}${canonicalJson(header)}\n# header-digest: ${digest}\n${CSV_COLUMNS}`;
/** One record by the product's CSV rule (csv.ts: formulas defused, "" for an empty text), LF-ended. */
const csvEntry = (entry: KeyAccessEntry, digest: string) => csvRecords([[...ENTRY_COLUMNS.map((c) => entry[c.name]), digest]], '\n');
const csvTrailer = (entries: number, finalDigest: string) => `# trailer: entries=${entries} final-digest=${finalDigest}\n`;

/** Splits one CSV record (no newline inside quotes is produced except in quoted cells). */
function parseCsvRecord(line: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      cells.push(`"${value}`); // marks a quoted cell: "" is an empty string, not null
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return cells;
    if (line[i] !== ',') return undefined;
    i++;
  }
}

function decodeCsvEntry(cells: readonly string[]): { entry: KeyAccessEntry; digest: string } | string {
  if (cells.length !== ENTRY_COLUMNS.length + 1) return `expected ${ENTRY_COLUMNS.length + 1} cells, found ${cells.length}`;
  const entry: Record<string, unknown> = {};
  for (const [i, column] of ENTRY_COLUMNS.entries()) {
    const raw = cells[i]!;
    const quoted = raw.startsWith('"');
    const textValue = quoted ? raw.slice(1) : raw;
    if (column.type === 'integer') {
      if (quoted || !/^-?\d+$/.test(textValue)) return `${column.name} is not an integer`;
      entry[column.name] = Number(textValue);
    } else if (column.type === 'nullable' && !quoted && textValue === '') {
      entry[column.name] = null;
    } else {
      entry[column.name] = textValue.startsWith("'") ? textValue.slice(1) : textValue;
    }
  }
  const digest = cells[ENTRY_COLUMNS.length]!;
  return { entry: entry as unknown as KeyAccessEntry, digest };
}

// --- table -------------------------------------------------------------------------------------

/**
 * Text for a terminal. Much of an entry is whatever a client sent (a token's `sub`, a user agent):
 * raw, its control characters (C0, DEL, C1: ESC, BEL, CSI…) could move the cursor, rewrite earlier
 * lines or retitle the window, and the bidirectional controls (U+202A–U+202E, U+2066–U+2069, the
 * marks U+061C, U+200E, U+200F) could reorder what an auditor reads. They are written as escapes
 * (`\x1b`, `\u202e`), and a backslash as `\\`, so that an escape in a table always means one.
 * Only the table: CSV and JSONL keep the exact text, which their digest chain covers.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Bidi_Control}\\]/gu, (c) => {
    const code = c.codePointAt(0)!;
    if (c === '\\') return '\\\\';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const TABLE_COLUMNS: readonly { title: string; width: number; value: (e: KeyAccessEntry) => string }[] = [
  { title: 'seq', width: 6, value: (e) => String(e.seq) },
  { title: 'at', width: 24, value: (e) => e.at },
  { title: 'kind', width: 20, value: (e) => e.kind },
  { title: 'actor', width: 28, value: (e) => e.actorSub ?? e.clientIp ?? '' },
  { title: 'customer', width: 36, value: (e) => e.customerId },
  { title: 'order/line', width: 39, value: (e) => `${e.orderId}/${e.line}` },
  { title: 'software', width: 32, value: (e) => `${e.sku} ${e.version} ${e.language} ${e.fileType}` },
  { title: 'key or link', width: 36, value: (e) => e.keyFingerprint?.slice(0, 36) ?? e.linkId ?? '' },
  { title: 'position', width: 10, value: (e) => e.position },
  { title: 'digest', width: 16, value: () => '' },
];
const pad = (raw: string, width: number) => {
  const text = printable(raw);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
};
const tableRow = (values: readonly string[]) =>
  `${values
    .map((v, i) => pad(v, TABLE_COLUMNS[i]!.width))
    .join('  ')
    .trimEnd()}\n`;

// --- writing -----------------------------------------------------------------------------------

/** How a format writes the three parts of a report: the header line(s), an entry's, the trailer's. */
interface ReportLayout {
  header(header: ReportHeader, digest: string): string;
  entry(entry: KeyAccessEntry, digest: string): string;
  trailer(entries: number, finalDigest: string): string;
}

function tableHeader({ query: q }: ReportHeader, digest: string): string {
  const scope = [
    q.partnerTenantId && `partner ${q.partnerTenantId}`,
    q.customerId && `customer ${q.customerId}`,
    q.user && `user ${q.user}`,
    q.orderId && `order ${q.orderId}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `Key-access history for ${printable(scope)}, ${q.from} to ${q.to} (from the event store, in global order)\nheader digest ${digest}\n\n${tableRow(TABLE_COLUMNS.map((c) => c.title))}`;
}

const LAYOUTS: Readonly<Record<ReportFormat, ReportLayout>> = {
  jsonl: { header: jsonlHeader, entry: jsonlEntry, trailer: jsonlTrailer },
  csv: { header: csvHeader, entry: csvEntry, trailer: csvTrailer },
  table: {
    header: tableHeader,
    entry: (entry, digest) => tableRow(TABLE_COLUMNS.map((c) => (c.title === 'digest' ? digest.slice(0, 16) : c.value(entry)))),
    trailer: (entries, finalDigest) => `\n${entries} entries; final digest ${finalDigest}\n`,
  },
};

/** Renders a report line by line; `finish` gives the trailer. The same entries give the same bytes. */
export class ReportWriter {
  private readonly layout: ReportLayout;
  private previous: string;
  private count = 0;

  constructor(
    readonly format: ReportFormat,
    readonly header: ReportHeader,
  ) {
    this.layout = LAYOUTS[format];
    this.previous = headerDigest(header);
  }

  start(): string {
    return this.layout.header(this.header, this.previous);
  }

  /** The entry's line; numbers the entry (seq) and extends the chain. */
  add(access: Omit<KeyAccessEntry, 'seq'>): string {
    const entry: KeyAccessEntry = { seq: ++this.count, ...access };
    this.previous = chainDigest(this.previous, entry);
    return this.layout.entry(entry, this.previous);
  }

  get entries(): number {
    return this.count;
  }

  get finalDigest(): string {
    return this.previous;
  }

  finish(): string {
    return this.layout.trailer(this.count, this.previous);
  }
}

// --- checking ----------------------------------------------------------------------------------

export interface ReportCheck {
  /** True when every line is as written and the chain holds. */
  readonly intact: boolean;
  readonly format?: 'csv' | 'jsonl';
  readonly header?: ReportHeader;
  readonly entries: number;
  /** The final digest recomputed from the entries. */
  readonly finalDigest?: string;
  /** What is wrong, first problem first, with 1-based line numbers. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

/** Splits text into records at newlines outside double quotes, with the 1-based line each starts on. */
function records(text: string, quoteAware: boolean): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let line = 1;
  let start = 0;
  let startLine = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoteAware && c === '"') quoted = !quoted;
    else if (c === '\n') {
      line++;
      if (!quoted) {
        out.push({ line: startLine, text: text.slice(start, i) });
        start = i + 1;
        startLine = line;
      }
    }
  }
  if (start < text.length) out.push({ line: startLine, text: text.slice(start) });
  return out;
}

/**
 * Recomputes a CSV or JSONL report's chain and re-renders every line: any edited, added, removed
 * or reordered byte shows as a problem.
 */
export function checkReport(text: string): ReportCheck {
  const fail = (line: number, message: string, extra: Partial<ReportCheck> = {}): ReportCheck => ({
    intact: false,
    entries: 0,
    ...extra,
    problems: [{ line, message }],
  });
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  let format: 'csv' | 'jsonl';
  let header: ReportHeader;
  let body: string; // what follows the header lines
  let bodyLine: number; // the line the body starts on
  if (firstLine.startsWith('{"header":')) {
    format = 'jsonl';
    let parsed: { header?: ReportHeader; headerDigest?: unknown };
    try {
      parsed = JSON.parse(firstLine) as typeof parsed;
    } catch {
      return fail(1, 'the header line is not valid JSON');
    }
    if (!parsed.header || typeof parsed.headerDigest !== 'string') return fail(1, 'the header line has no header or headerDigest');
    header = parsed.header;
    const expected = jsonlHeader(header, headerDigest(header));
    if (!text.startsWith(expected)) return fail(1, 'the header was edited: its digest or its form does not match its content', { format, header });
    body = text.slice(expected.length);
    bodyLine = 2;
  } else if (firstLine.startsWith(CSV_MAGIC)) {
    format = 'csv';
    try {
      header = JSON.parse(firstLine.slice(CSV_MAGIC.length)) as ReportHeader;
    } catch {
      return fail(1, 'the header line is not valid JSON');
    }
    const expected = csvHeader(header, headerDigest(header));
    if (!text.startsWith(expected)) {
      const got = text.split('\n');
      return fail(expected.split('\n').findIndex((l, i) => l !== got[i]) + 1, 'the header was edited: its digest or its form does not match its content', {
        format,
        header,
      });
    }
    body = text.slice(expected.length);
    bodyLine = 4;
  } else if (firstLine.startsWith('Key-access history for ')) {
    return fail(1, 'a table is for reading, not for checking: export with --format csv or jsonl');
  } else {
    return fail(1, 'not a key-access report (unknown first line)');
  }
  if (!text.endsWith('\n')) return fail(text.split('\n').length, 'the report does not end with a newline after its trailer (truncated?)', { format, header });

  const problems: { line: number; message: string }[] = [];
  const rows = records(body, format === 'csv').map((r) => ({ ...r, line: r.line + bodyLine - 1 }));
  const trailerRow = rows.pop();
  let previous = headerDigest(header);
  let count = 0;
  for (const row of rows) {
    let entry: KeyAccessEntry;
    let digest: string;
    if (format === 'jsonl') {
      let parsed: { entry?: KeyAccessEntry; digest?: unknown };
      try {
        parsed = JSON.parse(row.text) as typeof parsed;
      } catch {
        problems.push({ line: row.line, message: 'not valid JSON' });
        break;
      }
      if (!parsed.entry || typeof parsed.digest !== 'string') {
        problems.push({ line: row.line, message: 'not an entry line' });
        break;
      }
      entry = parsed.entry;
      digest = parsed.digest;
    } else {
      const cells = parseCsvRecord(row.text);
      const decoded = cells ? decodeCsvEntry(cells) : 'not a CSV record';
      if (typeof decoded === 'string') {
        problems.push({ line: row.line, message: decoded });
        break;
      }
      ({ entry, digest } = decoded);
    }
    count++;
    if (entry.seq !== count)
      problems.push({ line: row.line, message: `entry number ${String(entry.seq)} where ${count} was expected (an entry was removed, added or moved)` });
    const expected = chainDigest(previous, entry);
    if (digest !== expected) problems.push({ line: row.line, message: 'the entry does not match its digest (the entry or its digest was edited)' });
    const rendered = format === 'jsonl' ? jsonlEntry(entry, digest) : csvEntry(entry, digest);
    if (rendered !== `${row.text}\n`) problems.push({ line: row.line, message: 'the line is not written the way the report writes it (edited)' });
    previous = expected;
    if (problems.length > 0) break;
  }
  if (problems.length === 0) {
    const trailer = format === 'jsonl' ? jsonlTrailer(count, previous) : csvTrailer(count, previous);
    if (!trailerRow) problems.push({ line: bodyLine, message: 'the report has no trailer (truncated?)' });
    else if (`${trailerRow.text}\n` !== trailer)
      problems.push({ line: trailerRow.line, message: `the trailer does not match the entries (expected ${count} entries and final digest ${previous})` });
  }
  return { intact: problems.length === 0, format, header, entries: count, ...(problems.length === 0 ? { finalDigest: previous } : {}), problems };
}
