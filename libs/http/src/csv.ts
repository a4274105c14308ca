import { csvRecords, type CsvValue } from '@csp/application';

/** Rows as RFC 4180 CSV (CRLF, the product's one CSV writer); money lists become one `amount_<CURRENCY>` column per currency. */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const flat = rows.map((row) => {
    const out: Record<string, CsvValue> = {};
    for (const [key, value] of Object.entries(row)) {
      if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'currency' in v && 'amount' in v)) {
        for (const m of value as { amount: number; currency: string }[]) out[`${key === 'amounts' ? 'amount' : key}_${m.currency}`] = m.amount;
      } else out[key] = value === undefined ? null : typeof value === 'object' && value !== null ? JSON.stringify(value) : (value as CsvValue);
    }
    return out;
  });
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  return csvRecords([columns, ...flat.map((r) => columns.map((c) => r[c]))], '\r\n');
}
