// Loads the operator's real data files through the domain's parsers (the test reads files; the domain does not).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entitledVersions, isValidMarket, parseCatalog } from './catalog/catalog';
import type { Sku } from './catalog/sku';
import { parsePolicyTable, policyInForce } from './policy/policy-table';

const read = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../config', name), 'utf8'));
const azure = read('azure-unavailable-markets.json').markets as string[];
const rawCatalog = read('catalog.json');
const catalog = parseCatalog(rawCatalog, azure);
const where = (predicate: (sku: Sku) => boolean) => catalog.items.filter(predicate);

describe('config/azure-unavailable-markets.json', () => {
  it('lists the 106 distinct markets where Azure reservations are not sold', () => {
    expect(azure).toHaveLength(106);
    expect(new Set(azure).size).toBe(106);
    expect(azure.every(isValidMarket)).toBe(true);
  });
});

describe('config/catalog.json', () => {
  it('says its prices are sample figures', () => {
    expect(rawCatalog.description).toMatch(/sample/i);
  });

  it('prices every SKU in USD minor units and names it in the id format', () => {
    for (const sku of catalog.items) {
      expect(sku.sku).toMatch(/^[A-Z0-9-]+$/);
      expect(sku.unitPrice.currency).toBe('USD');
      expect(Number.isSafeInteger(sku.unitPrice.amount) && sku.unitPrice.amount > 0).toBe(true);
    }
  });

  it('sells Windows Server Standard and Datacenter, and SQL Server Standard and Enterprise, as perpetual licences with n-2 rights', () => {
    for (const [family, editions] of [
      ['Windows Server', ['Standard', 'Datacenter']],
      ['SQL Server', ['Standard', 'Enterprise']],
    ] as const) {
      for (const edition of editions) {
        const [sku] = where((i) => i.family === family && i.licenseType === 'perpetual' && i.name.includes(edition));
        expect(sku).toEqual(expect.objectContaining({ downgradeDepth: 2, cancellationClass: 'standard' }));
        expect(entitledVersions(sku!.versions, sku!.downgradeDepth)).toHaveLength(3);
        expect(sku!.languages.length).toBeGreaterThanOrEqual(5);
      }
    }
  });

  it('sells Windows Server and SQL Server subscriptions of 12 and 36 months', () => {
    for (const family of ['Windows Server', 'SQL Server']) {
      for (const term of [12, 36]) expect(where((i) => i.family === family && i.licenseType === 'subscription' && i.termMonths === term)).not.toHaveLength(0);
    }
  });

  it('sells Office LTSC Professional Plus as a perpetual licence in x64 and x86', () => {
    const [office] = where((i) => i.family === 'Office' && i.name.includes('LTSC'));
    expect(office).toEqual(expect.objectContaining({ licenseType: 'perpetual', fileTypes: ['x64', 'x86'] }));
    expect([1, 2]).toContain(office!.downgradeDepth);
  });

  it('sells Windows 7 ESU for 12 months, cancelled only through a refund request', () => {
    expect(where((i) => i.family === 'Windows 7 ESU')).toEqual([expect.objectContaining({ licenseType: 'subscription', termMonths: 12, cancellationClass: 'support-request' })]);
  });

  it('sells a SUSE and a Red Hat plan that can be neither cancelled nor exchanged', () => {
    for (const family of ['SUSE Linux', 'Red Hat']) {
      expect(where((i) => i.family === family)).toEqual([expect.objectContaining({ licenseType: 'subscription', cancellationClass: 'non-cancellable' })]);
    }
  });

  it('sells one 12-month Azure reservation that carries all 106 unavailable markets', () => {
    const reservations = where((i) => i.family.startsWith('Azure'));
    expect(reservations).toEqual([expect.objectContaining({ licenseType: 'subscription', termMonths: 12, cancellationClass: 'standard', unavailableMarkets: azure })]);
    expect(where((i) => !i.family.startsWith('Azure')).every((i) => i.unavailableMarkets.length === 0)).toBe(true);
  });
});

describe('config/cancellation-policies.json', () => {
  const raw = read('cancellation-policies.json');
  const table = parsePolicyTable(raw);

  it('holds exactly the two policies of the reference documents, each described', () => {
    expect(table).toEqual([
      { id: 'csp-legacy-60-days', effectiveFrom: '1970-01-01T00:00:00.000Z', perpetual: { windowHours: 1440, credit: 'full' }, subscription: { windowHours: 1440, credit: 'prorated' }, description: expect.any(String) },
      { id: 'csp-2023-06-30', effectiveFrom: '2023-06-30T00:00:00.000Z', perpetual: { windowHours: 720, credit: 'full' }, subscription: { windowHours: 168, credit: 'prorated' }, description: expect.any(String) },
    ]);
  });

  it('switches from the legacy to the current policy at 2023-06-30T00:00:00.000Z', () => {
    expect(policyInForce(table, '2023-06-29T23:59:59.999Z').id).toBe('csp-legacy-60-days');
    expect(policyInForce(table, '2023-06-30T00:00:00.000Z').id).toBe('csp-2023-06-30');
  });
});
