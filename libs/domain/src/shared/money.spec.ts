import { addByCurrency, moneyList, totalsByCurrency } from './money';

describe('money totals per currency', () => {
  it('sum each currency on its own, listed in currency-code order whatever order the amounts came in', () => {
    const items = [
      { amount: 500, currency: 'USD' },
      { amount: 900, currency: 'EUR' },
      { amount: 1, currency: 'USD' },
    ];
    expect(totalsByCurrency(items)).toEqual([
      { amount: 900, currency: 'EUR' },
      { amount: 501, currency: 'USD' },
    ]);
    expect(totalsByCurrency([])).toEqual([]);
  });

  it('add to running totals without changing them, and list a JSON record the same way as a map', () => {
    const totals = new Map([['USD', 100]]);
    const next = addByCurrency(
      [
        { amount: 20, currency: 'USD' },
        { amount: 3, currency: 'AUD' },
      ],
      totals,
    );
    expect([...totals]).toEqual([['USD', 100]]);
    expect(moneyList(next)).toEqual([
      { amount: 3, currency: 'AUD' },
      { amount: 120, currency: 'USD' },
    ]);
    expect(moneyList({ USD: 120, AUD: 3 })).toEqual(moneyList(next));
  });
});
