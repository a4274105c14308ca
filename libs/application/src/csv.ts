import { stringify } from 'csv-stringify/sync';

/** What a CSV cell holds: text, a number or a flag; null and undefined are an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * A text cell a spreadsheet would run as a formula (OWASP: starting with = + - @, a tab or a CR)
 * gets a leading apostrophe; so does a text that starts with an apostrophe already, so that a
 * reader can always take one off and have the exact text back (the audit report's check does).
 * Only text: a number such as -5 is a number. Ours rather than csv-stringify's `escape_formulas`,
 * which also guards the full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20) and does not double an
 * apostrophe: the audit report's bytes are checked by re-rendering its lines, so they keep this
 * rule for ever (libs/audit/src/report/report.spec.ts pins them).
 */
const defuse = (text: string) => (/^[=+\-@\t\r']/.test(text) ? `'${text}` : text);

const OPTIONS = {
  cast: { string: defuse, boolean: (flag: boolean) => String(flag) },
  // An empty text is "" so that it reads back differently from a missing value (an empty cell).
  quoted_match: /^$/,
  // A lone CR or LF in a cell is quoted whatever the record delimiter (csv-stringify only quotes
  // the delimiter it writes when one is given).
  quote_record_delimiter: true,
} as const;

/**
 * The product's one CSV writer (RFC 4180 through csv-stringify): records of cells, each record
 * ended by `recordDelimiter` — CRLF as RFC 4180 has it, or LF where a format says so (the audit
 * report, a line-oriented file whose bytes are fixed). A cell is quoted when it holds a comma, a
 * double quote (doubled), a CR or an LF, or is an empty text.
 */
export function csvRecords(records: readonly (readonly CsvValue[])[], recordDelimiter: '\r\n' | '\n'): string {
  return stringify(records as CsvValue[][], { ...OPTIONS, record_delimiter: recordDelimiter });
}
