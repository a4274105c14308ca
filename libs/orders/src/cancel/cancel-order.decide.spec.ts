import { CUSTOMER_ID, CUSTOMER_TENANT, ORDER_ID, PARTNER, policies } from '../../../domain/src/testing/fixtures';
import {
  agentBy,
  at,
  cancel,
  D,
  download,
  eventOf,
  given,
  H,
  history,
  lineOf,
  historyAfter,
  issue,
  orderRef,
  purchase,
  reveal,
  sel,
  stateOf,
  T0,
} from '../testing/orders';
import { keyForSelection } from '../order.state';
import type { OrderEvent } from '../order.events';

const types = (events: OrderEvent[]) => events.map((e) => e.type);

describe('CancelOrder windows: exact hours from the purchase instant, closed at the deadline', () => {
  // Both sides of the 2023-06-30 policy change, for both licence types.
  const cases: [string, string, string, number][] = [
    ['legacy, perpetual, bought 1 ms before the change (60 days)', '2023-06-29T23:59:59.999Z', 'WS-STD', 1440],
    ['legacy, subscription, bought 1 ms before the change (60 days)', '2023-06-29T23:59:59.999Z', 'WS-SUB-1Y', 1440],
    ['legacy, perpetual, bought in 2021 (60 days)', '2021-01-15T08:00:00.000Z', 'WS-STD', 1440],
    ['current, perpetual, bought at the change (30 days)', '2023-06-30T00:00:00.000Z', 'WS-STD', 720],
    ['current, subscription, bought at the change (7 days)', '2023-06-30T00:00:00.000Z', 'WS-SUB-1Y', 168],
    ['current, perpetual (30 days)', T0, 'WS-STD', 720],
    ['current, 12-month subscription (7 days)', T0, 'WS-SUB-1Y', 168],
    ['current, 36-month subscription (7 days)', T0, 'WS-SUB-3Y', 168],
  ];

  it.each(cases)('%s: cancelled 1 h and 1 ms before the deadline; refused at it and 1 h after', (_name, bought, sku, hours) => {
    const past = history(purchase(bought, [lineOf(sku)]));
    given(past)
      .when(cancel(at(bought, hours * H - H)))
      .then((events) => expect(types(events)).toEqual(['OrderCancelled', 'CreditIssued']));
    given(past)
      .when(cancel(at(bought, hours * H - 1)))
      .then((events) => expect(types(events)).toEqual(['OrderCancelled', 'CreditIssued']));
    const refusal = given(past)
      .when(cancel(at(bought, hours * H)))
      .thenThrows('conflict', 'cancellation_window_closed', { line: 1 });
    expect(refusal.message).toContain(at(bought, hours * H));
    given(past)
      .when(cancel(at(bought, hours * H + H)))
      .thenThrows('conflict', 'cancellation_window_closed');
  });

  it('follows the policy recorded in the purchase, not the table in force today', () => {
    const [bought] = history(purchase());
    const recorded = {
      ...eventOf(bought, 'SoftwarePurchased'),
      policy: { ...policies[1]!, id: 'custom', perpetual: { windowHours: 24, credit: 'full' as const } },
    };
    const past: OrderEvent[] = [{ type: 'SoftwarePurchased', data: recorded }];
    given(past)
      .when(cancel(at(T0, 24 * H - 1)))
      .then((events) => expect(events[0]!.type).toBe('OrderCancelled'));
    given(past)
      .when(cancel(at(T0, 24 * H)))
      .thenThrows('conflict', 'cancellation_window_closed');
  });
});

describe('CancelOrder', () => {
  it('cancels the whole order: credit in full for a perpetual line, keys and links revoked, credit on next month’s invoice', () => {
    const past = history(purchase(T0, [lineOf('WS-STD', 2)]), reveal(T0), reveal(T0, { version: '2022', keyId: 'key-2' }), issue(T0));
    const now = at(T0, 10 * D);
    given(past)
      .when(cancel(now))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            ...orderRef,
            lines: [{ line: 1, sku: 'WS-STD', licenseType: 'perpetual', amount: 200_000, credit: { amount: 200_000, currency: 'USD' } }],
            wholeOrder: true,
            reason: 'customer request',
            cancelledAt: now,
            cancelledBy: agentBy,
            invoiceMonth: '2026-04',
          },
        },
        {
          type: 'ProductKeysRevoked',
          data: {
            ...orderRef,
            keys: [
              { keyId: 'key-1', line: 1, fingerprint: 'fp-key-1' },
              { keyId: 'key-2', line: 1, fingerprint: 'fp-key-2' },
            ],
            revokedAt: now,
            reason: 'order-cancelled',
          },
        },
        { type: 'DownloadLinksRevoked', data: { ...orderRef, links: [{ linkId: 'link-1', line: 1 }], revokedAt: now, reason: 'order-cancelled' } },
        {
          type: 'CreditIssued',
          data: {
            creditId: `${ORDER_ID}:1`,
            source: { type: 'cancellation', orderId: ORDER_ID, line: 1 },
            partnerTenantId: PARTNER,
            customerId: CUSTOMER_ID,
            customerTenantId: CUSTOMER_TENANT,
            orderId: ORDER_ID,
            line: 1,
            sku: 'WS-STD',
            family: 'Windows Server',
            amount: 200_000,
            currency: 'USD',
            taxInclusive: false,
            invoiceMonth: '2026-04',
            issuedAt: now,
          },
        },
      ]);
  });

  it('emits no revocation for lines without keys or links', () => {
    given(history(purchase()))
      .when(cancel(T0))
      .then((events) => expect(types(events)).toEqual(['OrderCancelled', 'CreditIssued']));
  });

  it('prorates a subscription credit by the whole days left in its term', () => {
    // 2026-03-02 + 12 months = 365 days; 3 whole days elapsed → 362/365 of 36,500 = 36,200.
    given(history(purchase(T0, [lineOf('WS-SUB-1Y')])))
      .when(cancel(at(T0, 3 * D + 5 * H)))
      .then(([cancelled, credit]) => {
        expect(eventOf(cancelled, 'OrderCancelled').lines[0]!.credit).toEqual({ amount: 36_200, currency: 'USD' });
        expect(eventOf(credit, 'CreditIssued').amount).toBe(36_200);
      });
  });

  it('prorates a 36-month subscription over its 1,096 days (29 February 2028 included)', () => {
    // 2 × 109,600 = 219,200 × (1,096 − 6) / 1,096 = 218,000 exactly.
    given(history(purchase(T0, [lineOf('WS-SUB-3Y', 2)])))
      .when(cancel(at(T0, 7 * D - H)))
      .then(([cancelled]) => expect(eventOf(cancelled, 'OrderCancelled').lines[0]!.credit.amount).toBe(218_000));
  });

  it('credits in full a subscription cancelled within its first day', () => {
    given(history(purchase(T0, [lineOf('WS-SUB-1Y')])))
      .when(cancel(at(T0, D - 1)))
      .then(([cancelled]) => expect(eventOf(cancelled, 'OrderCancelled').lines[0]!.credit.amount).toBe(36_500));
  });

  it('carries the order’s tax-inclusiveness onto the credit', () => {
    given(history(purchase(T0, undefined, { market: 'BR' })))
      .when(cancel(T0))
      .then(([, credit]) => expect(eventOf(credit, 'CreditIssued').taxInclusive).toBe(true));
  });

  it('puts the credit on the invoice of the calendar month after the cancellation, UTC', () => {
    const bought = '2026-12-20T10:00:00.000Z';
    given(history(purchase(bought)))
      .when(cancel('2026-12-31T23:59:59.999Z'))
      .then(([e]) => expect(eventOf(e, 'OrderCancelled').invoiceMonth).toBe('2027-01'));
    given(history(purchase(bought)))
      .when(cancel('2027-01-01T00:30:00+01:00'))
      .then(([e]) => {
        // 00:30 in Paris on 1 January is still 31 December in UTC.
        expect(eventOf(e, 'OrderCancelled').invoiceMonth).toBe('2027-01');
        expect(eventOf(e, 'OrderCancelled').cancelledAt).toBe('2026-12-31T23:30:00.000Z');
      });
  });

  describe('named lines', () => {
    const mixed = history(
      purchase(T0, [lineOf('WS-STD'), lineOf('WS-SUB-1Y')]),
      reveal(T0),
      reveal(T0, { line: 2, keyId: 'key-2' }),
      issue(T0),
      issue(T0, 'link-2', { line: 2 }),
    );

    it('cancel only those lines, revoke only their keys and links, and credit each', () => {
      given(mixed)
        .when(cancel(T0, [2]))
        .then((events) => {
          expect(types(events)).toEqual(['OrderCancelled', 'ProductKeysRevoked', 'DownloadLinksRevoked', 'CreditIssued']);
          expect(eventOf(events[0], 'OrderCancelled')).toEqual(expect.objectContaining({ wholeOrder: false, lines: [expect.objectContaining({ line: 2 })] }));
          expect(eventOf(events[1], 'ProductKeysRevoked').keys.map((k) => k.keyId)).toEqual(['key-2']);
          expect(eventOf(events[2], 'DownloadLinksRevoked').links.map((l) => l.linkId)).toEqual(['link-2']);
          expect(eventOf(events[3], 'CreditIssued').creditId).toBe(`${ORDER_ID}:2`);
        });
      const state = given(mixed)
        .when(cancel(T0, [2]))
        .thenState();
      expect(state.status === 'placed' && state.lines.map((l) => l.status)).toEqual(['active', 'cancelled']);
    });

    it('leave the other lines working: their links still download', () => {
      const partly = historyAfter(mixed, cancel(T0, [2]));
      given(partly)
        .when(download(at(T0, H)))
        .then((events) => expect(events).toHaveLength(1));
      given(partly)
        .when(download(at(T0, H), 'link-2'))
        .thenThrows('gone', 'link_revoked');
    });

    it('then a whole-order cancel takes what is still active and marks the order wholly cancelled', () => {
      given(historyAfter(mixed, cancel(T0, [2])))
        .when(cancel(at(T0, H)))
        .then(([e, keys]) => {
          expect(eventOf(e, 'OrderCancelled').lines.map((l) => l.line)).toEqual([1]);
          expect(eventOf(e, 'OrderCancelled').wholeOrder).toBe(true);
          // The key of line 2 was revoked already: it is not revoked twice.
          expect(eventOf(keys, 'ProductKeysRevoked').keys.map((k) => k.keyId)).toEqual(['key-1']);
        });
    });

    it('naming every active line is a whole-order cancel', () => {
      given(mixed)
        .when(cancel(T0, [2, 1]))
        .then(([e]) => expect(eventOf(e, 'OrderCancelled')).toEqual(expect.objectContaining({ wholeOrder: true })));
    });

    it('cancel nothing when any of them is refused', () => {
      // After 7 days the subscription's window has closed but the perpetual line's has not.
      given(mixed)
        .when(cancel(at(T0, 7 * D), [1, 2]))
        .thenThrows('conflict', 'cancellation_window_closed', { line: 2 });
      given(mixed)
        .when(cancel(at(T0, 7 * D)))
        .thenThrows('conflict', 'cancellation_window_closed', { line: 2 });
      given(mixed)
        .when(cancel(at(T0, 7 * D), [1]))
        .then(([e]) => expect(eventOf(e, 'OrderCancelled').wholeOrder).toBe(false));
    });

    it('refuse an unknown line, a repeated line, an empty list and a cancelled line', () => {
      given(mixed)
        .when(cancel(T0, [3]))
        .thenThrows('invalid', 'unknown_line', { field: 'lines' });
      given(mixed)
        .when(cancel(T0, [0]))
        .thenThrows('invalid', 'unknown_line');
      given(mixed)
        .when(cancel(T0, [1, 1]))
        .thenThrows('invalid', 'invalid_lines', { field: 'lines' });
      given(mixed).when(cancel(T0, [])).thenThrows('invalid', 'invalid_lines', { field: 'lines' });
      given(historyAfter(mixed, cancel(T0, [2])))
        .when(cancel(T0, [1, 2]))
        .thenThrows('conflict', 'line_cancelled', { line: 2 });
    });
  });

  describe('cancellation classes', () => {
    it('refuse a support-request product and say to file a refund request', () => {
      const refusal = given(history(purchase(T0, [lineOf('ESU')])))
        .when(cancel(T0))
        .thenThrows('conflict', 'refund_request_required');
      expect(refusal.message).toMatch(/refund request/);
    });

    it('refuse a non-cancellable product', () => {
      given(history(purchase(T0, [lineOf('SLES')])))
        .when(cancel(T0))
        .thenThrows('conflict', 'not_cancellable');
    });

    it('refuse the whole order when one of its lines is of such a class, and allow the others by name', () => {
      const past = history(purchase(T0, [lineOf('WS-STD'), lineOf('ESU'), lineOf('SLES')]));
      given(past).when(cancel(T0)).thenThrows('conflict', 'refund_request_required', { line: 2 });
      given(past)
        .when(cancel(T0, [1, 3]))
        .thenThrows('conflict', 'not_cancellable', { line: 3 });
      given(past)
        .when(cancel(T0, [1]))
        .then(([e]) => expect(eventOf(e, 'OrderCancelled').lines.map((l) => l.line)).toEqual([1]));
    });
  });

  // An order that does not exist: order.rules.spec.ts.
  it('refuses an order with nothing left to cancel', () => {
    given(history(purchase(), cancel(T0)))
      .when(cancel(at(T0, H)))
      .thenThrows('conflict', 'order_cancelled');
  });

  it('evolves the cancelled lines, keys and links into the state', () => {
    const state = stateOf(history(purchase(), reveal(T0), issue(T0), cancel(T0)));
    expect(state.status === 'placed' && state.lines[0]!.status).toBe('cancelled');
    expect(keyForSelection(state, sel())?.revoked).toBe(true);
    expect(state.status === 'placed' && state.links.get('link-1')?.revoked).toBe(true);
  });
});
