/** Rows as RFC 4180 CSV; money lists become one `amount_<CURRENCY>` column per currency. */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const flat = rows.map((row) => {
    const out: Record<string, string | number | boolean | null> = {};
    for (const [key, value] of Object.entries(row)) {
      if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'currency' in v && 'amount' in v)) {
        for (const m of value as { amount: number; currency: string }[]) out[`${key === 'amounts' ? 'amount' : key}_${m.currency}`] = m.amount;
      } else out[key] = value === undefined ? null : typeof value === 'object' && value !== null ? JSON.stringify(value) : (value as string | number | boolean | null);
    }
    return out;
  });
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    // Quote what CSV needs quoted, and defuse cells a spreadsheet would run as formulas.
    const safe = /^[=+\-@\t\r]/.test(text) && typeof v === 'string' ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(','), ...flat.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
