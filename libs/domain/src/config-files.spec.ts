// Loads the operator's real data files through the domain's parsers (the test reads files; the domain does not).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entitledVersions, parseCatalog } from './catalog/catalog';
import { isMarketCode, parseMarkets } from './catalog/markets';
import type { Sku } from './catalog/sku';
import { parsePolicyTable, policyInForce } from './policy/policy-table';

const read = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../config', name), 'utf8'));
const azure = read('azure-unavailable-markets.json').markets as string[];
const rawCatalog = read('catalog.json');
const catalog = parseCatalog(rawCatalog, azure);
const where = (predicate: (sku: Sku) => boolean) => catalog.items.filter(predicate);

const rawMarkets = read('iso-3166-1-alpha-2.json');
const markets = parseMarkets(rawMarkets);

describe('config/iso-3166-1-alpha-2.json', () => {
  it('holds the 249 officially assigned ISO 3166-1 alpha-2 codes and names its source', () => {
    expect(markets.codes).toHaveLength(249);
    expect(rawMarkets.source).toMatch(/ISO 3166/);
    for (const code of ['FR', 'DE', 'US', 'AU', 'BR', 'JP', 'AQ', 'CN', 'AX', 'BQ', 'CW', 'SS', 'SX', 'TW', 'PS', 'EH', 'GB'])
      expect({ code, assigned: markets.isAssigned(code) }).toEqual({ code, assigned: true });
    // User-assigned, exceptionally or transitionally reserved, withdrawn, never assigned.
    for (const code of ['AA', 'QM', 'QZ', 'XA', 'XK', 'XX', 'ZZ', 'EU', 'UK', 'UN', 'AC', 'IC', 'FX', 'AN', 'CS', 'YU', 'SU', 'OO'])
      expect({ code, assigned: markets.isAssigned(code) }).toEqual({ code, assigned: false });
  });
});

// The SPEC's copy of the list, where this checkout sits beside it (../shared or ../../shared for a worktree).
const specList = ['../../../../shared', '../../../../../shared']
  .map((dir) => join(__dirname, dir, 'data/azure-reservation-unavailable-markets.json'))
  .find((file) => existsSync(file));
const azureLists: [string, string[]][] = [
  ['config/azure-unavailable-markets.json', azure],
  ...(specList ? [['shared/data/azure-reservation-unavailable-markets.json', JSON.parse(readFileSync(specList, 'utf8')).markets] as [string, string[]]] : []),
];

describe.each(azureLists)('%s', (_name, list) => {
  it('lists the 106 distinct markets where Azure reservations are not sold', () => {
    expect(list).toHaveLength(106);
    expect(new Set(list).size).toBe(106);
    expect(list.every(isMarketCode)).toBe(true);
    expect([...list].sort()).toEqual([...azure].sort());
  });

  it('is a subset of the assigned codes but for XK, the user-assigned code the reference documentation uses for Kosovo', () => {
    // XK can be no customer's market, so it never matches a purchase; it stays because the SPEC's list names it.
    expect(list.filter((code) => !markets.isAssigned(code))).toEqual(['XK']);
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
    expect(where((i) => i.family === 'Windows 7 ESU')).toEqual([
      expect.objectContaining({ licenseType: 'subscription', termMonths: 12, cancellationClass: 'support-request' }),
    ]);
  });

  it('sells a SUSE and a Red Hat plan that can be neither cancelled nor exchanged', () => {
    for (const family of ['SUSE Linux', 'Red Hat']) {
      expect(where((i) => i.family === family)).toEqual([expect.objectContaining({ licenseType: 'subscription', cancellationClass: 'non-cancellable' })]);
    }
  });

  it('sells one 12-month Azure reservation that carries all 106 unavailable markets', () => {
    const reservations = where((i) => i.family.startsWith('Azure'));
    expect(reservations).toEqual([
      expect.objectContaining({ licenseType: 'subscription', termMonths: 12, cancellationClass: 'standard', unavailableMarkets: azure }),
    ]);
    expect(where((i) => !i.family.startsWith('Azure')).every((i) => i.unavailableMarkets.length === 0)).toBe(true);
  });
});

describe('config/cancellation-policies.json', () => {
  const raw = read('cancellation-policies.json');
  const table = parsePolicyTable(raw);

  it('holds exactly the two policies of the reference documents, each described', () => {
    expect(table).toEqual([
      {
        id: 'csp-legacy-60-days',
        effectiveFrom: '1970-01-01T00:00:00.000Z',
        perpetual: { windowHours: 1440, credit: 'full' },
        subscription: { windowHours: 1440, credit: 'prorated' },
        description: expect.any(String),
      },
      {
        id: 'csp-2023-06-30',
        effectiveFrom: '2023-06-30T00:00:00.000Z',
        perpetual: { windowHours: 720, credit: 'full' },
        subscription: { windowHours: 168, credit: 'prorated' },
        description: expect.any(String),
      },
    ]);
  });

  it('switches from the legacy to the current policy at 2023-06-30T00:00:00.000Z', () => {
    expect(policyInForce(table, '2023-06-29T23:59:59.999Z').id).toBe('csp-legacy-60-days');
    expect(policyInForce(table, '2023-06-30T00:00:00.000Z').id).toBe('csp-2023-06-30');
  });
});
