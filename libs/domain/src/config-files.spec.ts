// Loads the operator's real data files through the domain's parsers (the test reads files; the domain does not).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalog } from './catalog/catalog';
import { parsePolicyTable } from './policy/policy-table';

const read = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../config', name), 'utf8'));
const azure = read('azure-unavailable-markets.json').markets as string[];
const catalog = parseCatalog(read('catalog.json'), azure);

describe('shipped data files', () => {
  it('carry the 106 markets where Azure reservations are not sold, on the Azure SKU', () => {
    expect(azure).toHaveLength(106);
    expect(new Set(azure).size).toBe(106);
    const reservation = catalog.items.find((i) => i.family.startsWith('Azure'));
    expect(reservation?.unavailableMarkets).toEqual(azure);
  });

  it('cover the sample products SPEC asks for', () => {
    const has = (predicate: (i: (typeof catalog.items)[number]) => boolean) => catalog.items.filter(predicate).length;
    expect(has((i) => i.family === 'Windows Server' && i.licenseType === 'perpetual')).toBeGreaterThanOrEqual(2);
    expect(has((i) => i.family === 'SQL Server' && i.licenseType === 'perpetual')).toBeGreaterThanOrEqual(2);
    for (const family of ['Windows Server', 'SQL Server']) {
      for (const term of [12, 36]) expect(has((i) => i.family === family && i.licenseType === 'subscription' && i.termMonths === term)).toBeGreaterThanOrEqual(1);
    }
    expect(has((i) => i.family === 'Office')).toBeGreaterThanOrEqual(1);
    expect(catalog.items.find((i) => i.family === 'Windows 7 ESU')?.cancellationClass).toBe('support-request');
    expect(catalog.items.find((i) => i.family === 'SUSE Linux')?.cancellationClass).toBe('non-cancellable');
    expect(catalog.items.find((i) => i.family === 'Red Hat')?.cancellationClass).toBe('non-cancellable');
    expect(read('catalog.json').description).toMatch(/sample/i);
  });

  it('hold the two cancellation policies of the reference documents', () => {
    const table = parsePolicyTable(read('cancellation-policies.json'));
    expect(table.map((p) => [p.effectiveFrom, p.perpetual.windowHours, p.subscription.windowHours])).toEqual([
      ['1970-01-01T00:00:00.000Z', 60 * 24, 60 * 24],
      ['2023-06-30T00:00:00.000Z', 30 * 24, 7 * 24],
    ]);
  });
});
