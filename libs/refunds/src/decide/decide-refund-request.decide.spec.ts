import type { CreditIssued } from '@csp/orders';
import { ORDER_ID } from '../../../domain/src/testing/fixtures';
import { at, cancel, D, H, purchase, reveal, T0 } from '../../../orders/src/testing/orders';
import {
  approveRefund,
  givenOrderAndRefunds as given,
  orderAndRefundsHistory as history,
  rejectRefund,
  submitRefund,
  type OrderOrRefundEvent,
} from '../testing/refunds';
import type { RefundRequestSubmitted } from '../refund-request.events';

/**
 * The credits of an order — cancellations and approved refund requests together — never exceed
 * what its lines were paid, in the order's currency. A request naming the order is decided on the
 * order's state (its decision is appended to the order's stream), so every rule below holds under
 * the order's expected revision, against racing approvals and cancellations too.
 */
const T1 = at(T0, H);
const T2 = at(T0, 2 * H);
const T3 = at(T0, 3 * H);
const credits = (events: OrderOrRefundEvent[]) => events.filter((e): e is CreditIssued => e.type === 'CreditIssued').map((e) => e.data.amount);
const types = (events: OrderOrRefundEvent[]) => events.map((e) => e.type);
// One ESU licence (support-request class: refunds only) for 100,000 USD; one Windows Server licence (perpetual) for 100,000 USD.
const esu = purchase(T0, [{ sku: 'ESU', quantity: 1 }]);
const windows = purchase(T0, [{ sku: 'WS-STD', quantity: 1 }]);

describe('refund approvals are bounded by what the order has left to credit', () => {
  it('approve up to the remainder, in one commit with the credit', () => {
    given(history(esu, submitRefund('r-1', T1, { amountRequested: { amount: 100_000 } })))
      .when(approveRefund('r-1', T2))
      .then((events) => {
        expect(types(events)).toEqual(['RefundRequestApproved', 'CreditIssued']);
        expect(credits(events)).toEqual([100_000]);
      });
  });

  it('refuse, with 409 credit_exceeds_order naming the remainder, a request for more than the order was paid', () => {
    const past = history(esu, submitRefund('r-1', T1, { amountRequested: { amount: 150_000 } }));
    const refusal = given(past)
      .when(approveRefund('r-1', T2))
      .thenThrows('conflict', 'credit_exceeds_order', {
        field: 'amount',
        orderId: ORDER_ID,
        remaining: { amount: 100_000, currency: 'USD' },
        paid: { amount: 100_000, currency: 'USD' },
      });
    expect(refusal.message).toContain('at most 100000');
    // Back office may approve the remainder explicitly, and no more.
    given(past)
      .when(approveRefund('r-1', T2, 100_000))
      .then((events) => expect(credits(events)).toEqual([100_000]));
    given(past)
      .when(approveRefund('r-1', T2, 100_001))
      .thenThrows('conflict', 'credit_exceeds_order', { remaining: { amount: 100_000, currency: 'USD' } });
  });

  it('count earlier approved refunds: the second request gets only what the first left', () => {
    const past = history(
      esu,
      submitRefund('r-1', T1, { amountRequested: { amount: 60_000 } }),
      approveRefund('r-1', T1),
      submitRefund('r-2', T2, { amountRequested: { amount: 50_000 } }),
    );
    given(past)
      .when(approveRefund('r-2', T3))
      .thenThrows('conflict', 'credit_exceeds_order', { remaining: { amount: 40_000, currency: 'USD' }, credited: { amount: 60_000, currency: 'USD' } });
    given(past)
      .when(approveRefund('r-2', T3, 40_001))
      .thenThrows('conflict', 'credit_exceeds_order');
    const full = history(
      esu,
      submitRefund('r-1', T1, { amountRequested: { amount: 60_000 } }),
      approveRefund('r-1', T1),
      submitRefund('r-2', T2, { amountRequested: { amount: 50_000 } }),
      approveRefund('r-2', T2, 40_000),
      submitRefund('r-3', T3, { amountRequested: { amount: 1 } }),
    );
    given(full)
      .when(approveRefund('r-3', T3))
      .thenThrows('conflict', 'credit_exceeds_order', { remaining: { amount: 0, currency: 'USD' } });
  });

  it("count a cancellation's 100 %: nothing is left to refund on a cancelled perpetual order", () => {
    const past = history(windows, cancel(T1), submitRefund('r-1', T2, { amountRequested: { amount: 1 } }));
    const refusal = given(past)
      .when(approveRefund('r-1', T3))
      .thenThrows('conflict', 'credit_exceeds_order', { remaining: { amount: 0, currency: 'USD' } });
    expect(refusal.message).toContain('Nothing is left to credit in USD');
    given(past)
      .when(approveRefund('r-1', T3, 1))
      .thenThrows('conflict', 'credit_exceeds_order');
  });

  it("leave a prorated cancellation's rest refundable, and no more", () => {
    // 36,500 USD for 12 months, cancelled after 3 whole days: 365 − 3 of 365 days credited (36,200).
    const past = history(
      purchase(T0, [{ sku: 'WS-SUB-1Y', quantity: 1 }]),
      cancel(at(T0, 3 * D + H)),
      submitRefund('r-1', at(T0, 4 * D), { amountRequested: { amount: 301 } }),
    );
    given(past)
      .when(approveRefund('r-1', at(T0, 4 * D)))
      .thenThrows('conflict', 'credit_exceeds_order', { remaining: { amount: 300, currency: 'USD' } });
    given(past)
      .when(approveRefund('r-1', at(T0, 4 * D), 300))
      .then((events) => expect(credits(events)).toEqual([300]));
  });

  it('never credit in another currency: a request filed in JPY before the currency rule finds nothing to credit in JPY', () => {
    const [bought, submitted] = history(esu, submitRefund('r-1', T1));
    const inYen = {
      ...submitted!,
      data: { ...(submitted!.data as RefundRequestSubmitted['data']), amountRequested: { amount: 20_000, currency: 'JPY' } },
    } as OrderOrRefundEvent;
    given([bought!, inYen])
      .when(approveRefund('r-1', T2))
      .thenThrows('conflict', 'credit_exceeds_order', { remaining: { amount: 0, currency: 'JPY' } });
  });

  it("are decided once, in the order's stream", () => {
    const approved = history(esu, submitRefund('r-1', T1), approveRefund('r-1', T2));
    given(approved).when(approveRefund('r-1', T3)).thenThrows('conflict', 'refund_request_decided');
    given(approved).when(rejectRefund('r-1', T3)).thenThrows('conflict', 'refund_request_decided');
    const rejected = history(esu, submitRefund('r-1', T1), rejectRefund('r-1', T2));
    given(rejected).when(approveRefund('r-1', T3)).thenThrows('conflict', 'refund_request_decided');
    // The request's own stream holds only its submission; the order knows it was decided.
    const state = given(rejected).when(submitRefund('r-2', T3)).thenState();
    expect(state.requests.get('r-1')!.status).toBe('submitted');
    expect(state.order.status === 'placed' && [...state.decisions]).toEqual([['r-1', 'rejected']]);
  });

  it('keep a request without an order capped by its amount alone', () => {
    const bySubscription = submitRefund('r-1', T1, { orderId: undefined, subscriptionId: 'sub-42', amountRequested: { amount: 500_000 } });
    given(history(esu, bySubscription))
      .when(approveRefund('r-1', T2))
      .then((events) => expect(credits(events)).toEqual([500_000]));
    given(history(esu, bySubscription))
      .when(approveRefund('r-1', T2, 500_001))
      .thenThrows('invalid', 'invalid_amount');
  });

  it('track what the order was paid and credited, per currency', () => {
    const state = given(history(esu, submitRefund('r-1', T1)))
      .when(approveRefund('r-1', T2, 7_000))
      .thenState();
    expect(state.order.status === 'placed' && { paid: [...state.order.paid], credited: [...state.order.credited] }).toEqual({
      paid: [['USD', 100_000]],
      credited: [['USD', 7_000]],
    });
  });
});

describe('a cancellation after refunds credits what the order has left', () => {
  it('caps the line credit by the remainder: 100,000 paid, 30,000 refunded, 70,000 credited', () => {
    const past = history(windows, submitRefund('r-1', T1, { amountRequested: { amount: 30_000 } }), approveRefund('r-1', T1));
    given(past)
      .when(cancel(T2))
      .then(([cancelled, credit]) => {
        expect(cancelled!.type === 'OrderCancelled' && cancelled!.data.lines[0]!.credit).toEqual({ amount: 70_000, currency: 'USD' });
        expect(credit).toEqual({ type: 'CreditIssued', data: expect.objectContaining({ creditId: `${ORDER_ID}:1`, amount: 70_000, currency: 'USD' }) });
      });
  });

  it('cancels with no credit once refunds credited everything — keys are still revoked', () => {
    const past = history(windows, reveal(T1), submitRefund('r-1', T1, { amountRequested: { amount: 100_000 } }), approveRefund('r-1', T1));
    given(past)
      .when(cancel(T2))
      .then((events) => {
        expect(types(events)).toEqual(['OrderCancelled', 'ProductKeysRevoked']);
        expect(events[0]!.type === 'OrderCancelled' && events[0]!.data.lines[0]!.credit).toEqual({ amount: 0, currency: 'USD' });
      });
  });

  it('spreads the remainder over the lines in the order they are cancelled', () => {
    const twoLines = purchase(T0, [
      { sku: 'WS-STD', quantity: 1 },
      { sku: 'OFFICE-PP', quantity: 1 },
    ]);
    // Paid 100,000 + 57,400; 120,000 refunded leaves 37,400.
    const past = history(twoLines, submitRefund('r-1', T1, { amountRequested: { amount: 120_000 } }), approveRefund('r-1', T1));
    given(past)
      .when(cancel(T2))
      .then((events) => expect(credits(events)).toEqual([37_400]));
    given(past)
      .when(cancel(T2, [2, 1]))
      .then((events) => expect(credits(events)).toEqual([37_400]));
  });
});
