import { toCsv } from './csv';

// The application barrel loads Nest, which jest cannot require (ESM); the writer alone is enough here.
jest.mock('@csp/application', () => jest.requireActual('../../application/src/csv'));

describe('the analytics CSV', () => {
  it('has one column per key and per currency, RFC 4180 quoting and line ends, and no formula for a spreadsheet to run', () => {
    const rows = [
      {
        sku: 'WS2025-STD',
        market: 'FR',
        amounts: [
          { amount: 19900, currency: 'EUR' },
          { amount: -500, currency: 'USD' },
        ],
        count: 3,
        active: true,
        note: null,
      },
      { sku: '=SUM(A1)', market: '', amounts: [], count: -2, active: false, note: 'a, "b"\nc' },
      { sku: "'quoted", market: '+33', count: 0.5, extra: { nested: [1, 2] }, note: undefined, tab: '\tx', at: '@home', minus: '-x' },
    ];
    expect(toCsv(rows)).toBe(
      'sku,market,amount_EUR,amount_USD,count,active,note,extra,tab,at,minus\r\n' +
        'WS2025-STD,FR,19900,-500,3,true,,,,,\r\n' +
        // An empty text is "", told apart from a missing value (the audit report's rule, now the only one).
        '\'=SUM(A1),"",,,-2,false,"a, ""b""\n' +
        'c",,,,\r\n' +
        // A text starting with an apostrophe gets one more, so that taking the guard's apostrophe off is exact.
        '\'\'quoted,\'+33,,,0.5,,,"{""nested"":[1,2]}",\'\tx,\'@home,\'-x\r\n',
    );
  });
});
