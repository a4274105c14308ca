import { parseCatalog, type Actor } from '@csp/domain';
import { CUSTOMER_ID, CUSTOMER_TENANT, ORDER_ID, PARTNER, policies } from '../../../domain/src/testing/fixtures';
import { deciderSpec } from '../../../domain/src/testing/given-when-then';
import { bought, eventOf, given, history, lineOf, orderDecider, purchase, stateOf, T0 } from '../testing/orders';
import type { OrderCommand } from '../order.commands';
import type { OrderEvent } from '../order.events';
import type { OrderState } from '../order.state';

// A purchase whose second line is the one under test, so that a refusal must name lines[1], not the first.
const afterOneLicence = (line: ReturnType<typeof lineOf>) => purchase(T0, [lineOf('WS-STD'), line]);

describe('PurchaseSoftware', () => {
  it('records one SoftwarePurchased with the catalog data, the buyer and the whole policy in force', () => {
    given()
      .when(purchase(T0, [lineOf('WS-STD', 2)], { idempotencyKey: 'key-1', requestHash: 'hash-1' }))
      .then([
        {
          type: 'SoftwarePurchased',
          data: {
            orderId: ORDER_ID,
            customerId: CUSTOMER_ID,
            customerTenantId: CUSTOMER_TENANT,
            partnerTenantId: PARTNER,
            market: 'FR',
            taxInclusive: false,
            lines: [
              {
                line: 1,
                sku: 'WS-STD',
                family: 'Windows Server',
                name: 'WS-STD',
                licenseType: 'perpetual',
                quantity: 2,
                unitPrice: 100_000,
                amount: 200_000,
                currency: 'USD',
                versions: ['2025', '2022', '2019', '2016'],
                languages: ['en-us', 'fr-fr'],
                fileTypes: ['x64'],
                downgradeDepth: 2,
                cancellationClass: 'standard',
              },
            ],
            policy: policies[1]!,
            purchasedAt: T0,
            purchasedBy: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] },
            idempotencyKey: 'key-1',
            requestHash: 'hash-1',
          },
        },
      ]);
  });

  it('numbers lines from 1 in request order, with amount = unit price × quantity and the term of subscriptions', () => {
    given()
      .when(purchase(T0, [lineOf('WS-SUB-3Y', 3), lineOf('WS-STD'), lineOf('WS-SUB-3Y')]))
      .then(([event]) => {
        expect(eventOf(event, 'SoftwarePurchased').lines.map((l) => [l.line, l.sku, l.quantity, l.unitPrice, l.amount, l.termMonths])).toEqual([
          [1, 'WS-SUB-3Y', 3, 109_600, 328_800, 36],
          [2, 'WS-STD', 1, 100_000, 100_000, undefined],
          [3, 'WS-SUB-3Y', 1, 109_600, 109_600, 36],
        ]);
      });
  });

  it.each([
    ['AU', true],
    ['BR', true],
    ['FR', false],
    ['US', false],
    ['NZ', false],
  ])('records whether prices include taxes: market %s → %p', (market, taxInclusive) => {
    given()
      .when(purchase(T0, undefined, { market }))
      .then(([event]) => expect(eventOf(event, 'SoftwarePurchased').taxInclusive).toBe(taxInclusive));
  });

  it('takes the legacy policy a millisecond before 2023-06-30 and the current one from midnight UTC', () => {
    given()
      .when(purchase('2023-06-29T23:59:59.999Z'))
      .then(([e]) => expect(eventOf(e, 'SoftwarePurchased').policy).toEqual(policies[0]));
    given()
      .when(purchase('2023-06-30T00:00:00.000Z'))
      .then(([e]) => expect(eventOf(e, 'SoftwarePurchased').policy).toEqual(policies[1]));
    // 01:00 in Paris on 30 June is still 29 June in UTC.
    given()
      .when(purchase('2023-06-30T01:00:00+02:00'))
      .then(([e]) => expect(eventOf(e, 'SoftwarePurchased').policy.id).toBe('csp-legacy-60-days'));
  });

  it('records the purchase instant in canonical UTC form with milliseconds', () => {
    given()
      .when(purchase('2026-03-02T11:00:00+01:00'))
      .then(([e]) => expect(eventOf(e, 'SoftwarePurchased').purchasedAt).toBe(T0));
  });

  it.each(['yesterday', '2026-03-02', '2026-02-30T10:00:00Z', '2026-03-02T10:00:00'])(
    'refuses a decision instant %p that is not an ISO-8601 instant',
    (now) => {
      given().when(purchase(now)).thenThrows('invalid', 'invalid_date', { field: 'now' });
    },
  );

  it('accepts 1 to 100 lines and refuses none or 101', () => {
    const lines = (n: number) => Array.from({ length: n }, () => lineOf('WS-STD'));
    given()
      .when(purchase(T0, lines(1)))
      .then((events) => expect(events).toHaveLength(1));
    given()
      .when(purchase(T0, lines(100)))
      .then(([e]) => expect(eventOf(e, 'SoftwarePurchased').lines).toHaveLength(100));
    given()
      .when(purchase(T0, lines(0)))
      .thenThrows('invalid', 'invalid_lines', { field: 'lines' });
    given()
      .when(purchase(T0, lines(101)))
      .thenThrows('invalid', 'invalid_lines', { field: 'lines' });
  });

  it('accepts the quantity bounds 1 and 10,000', () => {
    given()
      .when(purchase(T0, [lineOf('WS-STD'), lineOf('WS-STD', 10_000)]))
      .then(([e]) => {
        expect(eventOf(e, 'SoftwarePurchased').lines.map((l) => l.amount)).toEqual([100_000, 1_000_000_000]);
      });
  });

  it.each([0, -1, 1.5, 10_001, Number.NaN, Number.POSITIVE_INFINITY])('refuses quantity %p, naming the line', (quantity) => {
    given()
      .when(afterOneLicence(lineOf('WS-STD', quantity)))
      .thenThrows('invalid', 'invalid_quantity', { field: 'lines[1].quantity' });
  });

  it('refuses a line amount that would leave the safe integer range', () => {
    const expensive = parseCatalog(
      {
        items: [
          {
            sku: 'PRICEY',
            family: 'Test',
            name: 'Pricey',
            licenseType: 'perpetual',
            unitPrice: { amount: Math.floor(Number.MAX_SAFE_INTEGER / 5_000), currency: 'USD' },
            versions: ['1'],
            languages: ['en-us'],
            fileTypes: ['x64'],
            downgradeDepth: 0,
            cancellationClass: 'standard',
          },
        ],
      },
      [],
    );
    const givenPricey = deciderSpec<OrderState, OrderCommand, OrderEvent>(orderDecider({ catalog: expensive, policies }));
    givenPricey()
      .when(purchase(T0, [lineOf('PRICEY', 5_000)]))
      .then((events) => expect(events).toHaveLength(1));
    givenPricey()
      .when(purchase(T0, [lineOf('PRICEY', 5_001)]))
      .thenThrows('invalid', 'invalid_quantity', { field: 'lines[0].quantity' });
  });

  it('refuses an unknown SKU, naming the line', () => {
    given()
      .when(afterOneLicence(lineOf('NOPE')))
      .thenThrows('invalid', 'unknown_sku', { field: 'lines[1].sku' });
    // SKU ids are exact: the catalog is not searched case-insensitively.
    given()
      .when(purchase(T0, [lineOf('ws-std')]))
      .thenThrows('invalid', 'unknown_sku');
  });

  it('refuses a SKU in a market where it is not sold, and sells it elsewhere', () => {
    for (const market of ['AQ', 'CN']) {
      const refusal = given()
        .when(purchase(T0, [lineOf('AZ-RI')], { market }))
        .thenThrows('invalid', 'market_not_available', { field: 'lines[0].sku', market });
      expect(refusal.message).toContain(market);
    }
    given()
      .when(purchase(T0, [lineOf('AZ-RI')], { market: 'FR' }))
      .then((events) => expect(events).toHaveLength(1));
    given()
      .when(purchase(T0, [lineOf('WS-STD')], { market: 'AQ' }))
      .then((events) => expect(events).toHaveLength(1));
  });

  it('records the buyer from the command metadata', () => {
    const other: Actor = { sub: 'agent-2', tid: PARTNER, roles: ['admin-agent', 'global-admin'] };
    given()
      .when(purchase(T0, undefined, { actor: other }))
      .then(([e]) => expect(eventOf(e, 'SoftwarePurchased').purchasedBy).toEqual(other));
  });

  describe('on an order that already exists', () => {
    const first = history(purchase(T0, undefined, { idempotencyKey: 'key-1', requestHash: 'hash-1' }));

    it('answers a retry of the same request with nothing new: the caller returns the existing order', () => {
      given(first)
        .when(purchase(T0, undefined, { idempotencyKey: 'key-1', requestHash: 'hash-1' }))
        .then([]);
      // Even later, and even if the catalog or policy changed meanwhile: the first answer stands.
      given(first)
        .when(purchase('2027-01-01T00:00:00.000Z', undefined, { idempotencyKey: 'key-1', requestHash: 'hash-1' }))
        .then([]);
    });

    it('refuses the same idempotency key with another request', () => {
      given(first)
        .when(purchase(T0, [lineOf('WS-STD', 2)], { idempotencyKey: 'key-1', requestHash: 'hash-2' }))
        .thenThrows('conflict', 'idempotency_key_reused', { field: 'idempotencyKey' });
    });

    it('refuses a second purchase without a request hash', () => {
      given(bought).when(purchase()).thenThrows('conflict', 'order_exists');
    });
  });

  it('evolves into a placed order with every line active', () => {
    const state = stateOf(history(purchase(T0, [lineOf('WS-STD'), lineOf('WS-SUB-1Y')], { market: 'AU', idempotencyKey: 'key-1', requestHash: 'hash-1' })));
    expect(state).toEqual(
      expect.objectContaining({
        status: 'placed',
        ref: { orderId: ORDER_ID, customerId: CUSTOMER_ID, customerTenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER },
        market: 'AU',
        taxInclusive: true,
        purchasedAt: T0,
        policy: policies[1],
        idempotencyKey: 'key-1',
        requestHash: 'hash-1',
      }),
    );
    expect(state.status === 'placed' && state.lines.map((l) => [l.line, l.status])).toEqual([
      [1, 'active'],
      [2, 'active'],
    ]);
    expect(state.status === 'placed' && [state.keys.size, state.links.size]).toEqual([0, 0]);
  });
});
