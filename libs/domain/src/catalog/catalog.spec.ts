import { entitledVersions, isTaxInclusiveMarket, parseCatalog } from './catalog';

const valid = {
  sku: 'WS-STD',
  family: 'Windows Server',
  name: 'Windows Server Standard',
  licenseType: 'perpetual',
  unitPrice: { amount: 100, currency: 'USD' },
  versions: ['2025', '2022', '2019'],
  languages: ['en-us'],
  fileTypes: ['x64'],
  downgradeDepth: 2,
  cancellationClass: 'standard',
};

describe('catalog', () => {
  it('loads SKUs and resolves the Azure market list', () => {
    const catalog = parseCatalog(
      { items: [valid, { ...valid, sku: 'AZ', licenseType: 'subscription', termMonths: 12, unavailableMarkets: '@azure-unavailable-markets' }] },
      ['AQ'],
    );
    expect(catalog.find('WS-STD')?.unavailableMarkets).toEqual([]);
    expect(catalog.find('AZ')?.unavailableMarkets).toEqual(['AQ']);
    expect(catalog.find('nope')).toBeUndefined();
  });

  it.each([
    [{ licenseType: 'lease' }, /licenseType/],
    [{ licenseType: 'subscription' }, /termMonths must be 12 or 36/],
    [{ licenseType: 'subscription', termMonths: 24 }, /termMonths must be 12 or 36/],
    [{ termMonths: 12 }, /subscriptions only/],
    [{ unitPrice: { amount: 1.5, currency: 'USD' } }, /minor units/],
    [{ unitPrice: { amount: -1, currency: 'USD' } }, /minor units/],
    [{ unitPrice: { amount: 1, currency: 'usd' } }, /ISO 4217/],
    [{ versions: [] }, /versions/],
    [{ downgradeDepth: 3 }, /downgradeDepth/],
    [{ downgradeDepth: 2, versions: ['2025', '2022'] }, /at least 3 versions/],
    [{ cancellationClass: 'maybe' }, /cancellationClass/],
    [{ unavailableMarkets: ['France'] }, /alpha-2/],
    [{ sku: 'ws std' }, /upper-case/],
    [{ family: '' }, /family/],
    [{ name: 42 }, /name/],
    [{ unitPrice: undefined }, /unitPrice.amount/],
    [{ unitPrice: { amount: 100 } }, /unitPrice.currency/],
    [{ languages: [] }, /languages/],
    [{ fileTypes: [] }, /fileTypes/],
    [{ fileTypes: ['x64', 'x64'] }, /fileTypes has duplicates/],
    [{ downgradeDepth: 1, versions: ['2025'] }, /at least 2 versions/],
    [{ downgradeDepth: '1' }, /downgradeDepth/],
    [{ unavailableMarkets: 'everywhere' }, /unavailableMarkets/],
  ])('refuses %p, naming the SKU and the field', (change, message) => {
    expect(() => parseCatalog({ items: [{ ...valid, ...change }] }, [])).toThrow(message);
    if (!('sku' in change)) expect(() => parseCatalog({ items: [{ ...valid, ...change }] }, [])).toThrow(/\(WS-STD\)/);
  });

  it('refuses an item that is not an object and an Azure market list with a bad code', () => {
    expect(() => parseCatalog({ items: [valid, 'WS-DC'] }, [])).toThrow(/item 1: must be an object/);
    expect(() => parseCatalog({ items: [valid] }, ['AQ', 'Antarctica'])).toThrow(/Antarctica/);
  });

  it('keeps an explicit list of unavailable markets and defaults to none', () => {
    expect(parseCatalog({ items: [{ ...valid, unavailableMarkets: ['CN', 'RU'] }] }, []).find('WS-STD')?.unavailableMarkets).toEqual(['CN', 'RU']);
    expect(parseCatalog({ items: [valid] }, ['AQ']).find('WS-STD')?.unavailableMarkets).toEqual([]);
  });

  it('refuses duplicate SKUs and a file without items', () => {
    expect(() => parseCatalog({ items: [valid, valid] }, [])).toThrow(/twice/);
    expect(() => parseCatalog({}, [])).toThrow(/items/);
  });

  it('grants the version sold plus n-1 / n-2 downgrades', () => {
    expect(entitledVersions(['2025', '2022', '2019', '2016'], 2)).toEqual(['2025', '2022', '2019']);
    expect(entitledVersions(['2025', '2022', '2019'], 1)).toEqual(['2025', '2022']);
    expect(entitledVersions(['2025', '2022'], 0)).toEqual(['2025']);
    expect(entitledVersions(['2025', '2022'], 2)).toEqual(['2025', '2022']);
  });

  it('knows the tax-inclusive markets', () => {
    expect(['AU', 'BR', 'FR', 'US'].map(isTaxInclusiveMarket)).toEqual([true, true, false, false]);
    expect(['au', 'BRA'].map(isTaxInclusiveMarket)).toEqual([false, false]);
  });
});
