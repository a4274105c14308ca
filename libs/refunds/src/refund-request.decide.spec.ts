import { withoutRefundDecisions } from './order-refund-decisions.state';
import { ORDER_ID, PARTNER } from '../../domain/src/testing/fixtures';
import { history, purchase, stateOf, T0 } from '../../orders/src/testing/orders';
import type { RefundRequestEvent } from './refund-request.events';
import { decideRefundRequest, evolveRefundRequest, initialRefundRequestState, type SubmitRefundRequest } from '.';
import { approveRefund, BACK_OFFICE as backOffice, esuOrder as order, givenRefundRequest as given, rejectRefund, submitRefund } from './testing/refunds';

const NOW = '2026-03-02T10:00:00.000Z';
const submit = (over: Partial<SubmitRefundRequest['data']> = {}) => submitRefund('r-1', NOW, over);
const approve = (amount?: number, note?: string) => approveRefund('r-1', '2026-03-05T09:00:00.000Z', amount, note);
const reject = (reason?: string) => rejectRefund('r-1', NOW, reason);
const submitted = decideRefundRequest(submit(), initialRefundRequestState, order);
const stateAfter = (events: RefundRequestEvent[]) => events.reduce(evolveRefundRequest, initialRefundRequestState);
/** A request without an order (a subscription id): decided in its own stream. */
const unbound = decideRefundRequest(submit({ orderId: undefined, subscriptionId: 'sub-42' }), initialRefundRequestState);

describe('refund requests', () => {
  it('are submitted with who filed them', () => {
    given()
      .when(submit())
      .then(([e]) =>
        expect(e).toEqual({
          type: 'RefundRequestSubmitted',
          data: expect.objectContaining({ refundRequestId: 'r-1', submittedAt: NOW, submittedBy: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] } }),
        }),
      );
  });

  it.each([
    [{ customerTenantId: undefined, domain: undefined }, 'invalid_refund_request', 'tenantId'],
    [{ customerTenantId: '', domain: '' }, 'invalid_refund_request', 'tenantId'],
    [{ orderId: undefined, subscriptionId: undefined }, 'invalid_refund_request', 'orderId'],
    [{ reason: '  ' }, 'invalid_refund_request', 'reason'],
    [{ amountRequested: { amount: 0, currency: 'USD' } }, 'invalid_amount', 'amount'],
    [{ amountRequested: { amount: -5, currency: 'USD' } }, 'invalid_amount', 'amount'],
    [{ amountRequested: { amount: 10.5, currency: 'USD' } }, 'invalid_amount', 'amount'],
    [{ amountRequested: { amount: 2 ** 53, currency: 'USD' } }, 'invalid_amount', 'amount'],
    [{ amountRequested: { amount: 10, currency: 'dollars' } }, 'invalid_currency', 'currency'],
    [{ amountRequested: { amount: 10, currency: 'usd' } }, 'invalid_currency', 'currency'],
    [{ contact: { name: 'Ana', email: 'not-an-email', phone: '1' } }, 'invalid_contact', 'contact.email'],
    [{ contact: { name: 'Ana', email: 'ana@localhost', phone: '1' } }, 'invalid_contact', 'contact.email'],
    [{ contact: { name: 'Ana', email: 'ana @contoso.example', phone: '1' } }, 'invalid_contact', 'contact.email'],
    [{ contact: { name: '', email: 'a@b.example', phone: '1' } }, 'invalid_contact', 'contact.name'],
    [{ contact: { name: 'Ana', email: 'a@b.example', phone: ' ' } }, 'invalid_contact', 'contact.phone'],
    [{ attachments: Array.from({ length: 21 }, (_, i) => `${i}.pdf`) }, 'invalid_attachments', 'attachments'],
  ])('refuse %p with %s naming %s', (over, code, field) => {
    given()
      .when(submit(over as Partial<SubmitRefundRequest['data']>))
      .thenThrows('invalid', code, { field });
  });

  it('accept up to 20 attachments, and none', () => {
    given()
      .when(submit({ attachments: Array.from({ length: 20 }, (_, i) => `${i}.pdf`) }))
      .then((e) => expect(e).toHaveLength(1));
    given()
      .when(submit({ attachments: [] }))
      .then((e) => expect(e).toHaveLength(1));
  });

  it('accept a domain and a subscription id instead of a tenant id and an order id', () => {
    given()
      .when(submit({ customerTenantId: undefined, domain: 'contoso.example', orderId: undefined, subscriptionId: 'sub-42' }))
      .then((e) => expect(e).toHaveLength(1));
  });

  it('approved produce a credit on the next monthly invoice, as tax-inclusive as the order', () => {
    given(submitted)
      .when(approve())
      .then(([approved, credit]) => {
        expect(approved!.type).toBe('RefundRequestApproved');
        expect(credit).toEqual({
          type: 'CreditIssued',
          data: expect.objectContaining({
            creditId: 'r-1',
            source: { type: 'refund-request', refundRequestId: 'r-1', orderId: ORDER_ID },
            amount: 20_000,
            currency: 'USD',
            taxInclusive: false,
            invoiceMonth: '2026-04',
            partnerTenantId: PARTNER,
          }),
        });
      });
    given(submitted)
      .when(approve(5_000))
      .then(([, credit]) => expect(credit!.type === 'CreditIssued' && credit!.data.amount).toBe(5_000));
    // Bought in Australia, where prices include taxes: so does the credit.
    const australian = withoutRefundDecisions(stateOf(history(purchase(T0, [{ sku: 'ESU', quantity: 1 }], { market: 'AU' }))));
    const [, credit] = decideRefundRequest(approve(), stateAfter(decideRefundRequest(submit(), initialRefundRequestState, australian)), australian);
    expect(credit!.type === 'CreditIssued' && credit!.data.taxInclusive).toBe(true);
    // Without an order there are no prices to follow.
    given(unbound)
      .when(approve())
      .then(([, c]) => expect(c!.type === 'CreditIssued' && c!.data.taxInclusive).toBe(false));
  });

  it('refuse an approval above the amount requested, deciding twice, and unknown requests', () => {
    given(submitted).when(approve(20_001)).thenThrows('invalid', 'invalid_amount');
    given(submitted).when(approve(0)).thenThrows('invalid', 'invalid_amount');
    // In the request's own stream (a request without an order, or one decided before decisions moved to the order's stream).
    const approved = [...unbound, ...decideRefundRequest(approve(), stateAfter(unbound))];
    given(approved).when(reject()).thenThrows('conflict', 'refund_request_decided');
    given(approved).when(approve()).thenThrows('conflict', 'refund_request_decided');
    given().when(approve()).thenThrows('not-found', 'refund_request_not_found');
    given(submitted).when(submit()).thenThrows('conflict', 'refund_request_exists');
  });

  it('approved keep the back office note and who approved', () => {
    given(submitted)
      .when(approve(undefined, 'duplicate ESU purchase'))
      .then(([approved]) =>
        expect(approved).toEqual({
          type: 'RefundRequestApproved',
          data: {
            refundRequestId: 'r-1',
            partnerTenantId: PARTNER,
            approvedAmount: { amount: 20_000, currency: 'USD' },
            note: 'duplicate ESU purchase',
            approvedAt: '2026-03-05T09:00:00.000Z',
            approvedBy: { sub: 'bo-1', tid: backOffice.tid, roles: ['back-office'] },
          },
        }),
      );
  });

  it('refuse an approved amount that is not a whole number of minor units', () => {
    given(submitted).when(approve(1.5)).thenThrows('invalid', 'invalid_amount', { field: 'amount' });
    given(submitted)
      .when(approve(1))
      .then(([, credit]) => expect(credit!.type === 'CreditIssued' && credit!.data.amount).toBe(1));
  });

  it('rejected produce no credit, and need a reason', () => {
    given(submitted)
      .when(reject())
      .then([
        {
          type: 'RefundRequestRejected',
          data: {
            refundRequestId: 'r-1',
            partnerTenantId: PARTNER,
            reason: 'outside policy',
            rejectedAt: NOW,
            rejectedBy: { sub: 'bo-1', tid: backOffice.tid, roles: ['back-office'] },
          },
        },
      ]);
    given(submitted).when(reject(' ')).thenThrows('invalid', 'invalid_reason', { field: 'reason' });
  });

  it('evolve through submitted, then approved or rejected', () => {
    const state = (events: RefundRequestEvent[]) => stateAfter(events).status;
    expect(state([])).toBe('none');
    expect(state(submitted)).toBe('submitted');
    expect(state([...unbound, ...decideRefundRequest(approve(), stateAfter(unbound))])).toBe('approved');
    expect(state([...unbound, ...decideRefundRequest(reject(), stateAfter(unbound))])).toBe('rejected');
  });
});

describe('refund requests naming an order are in its currency', () => {
  it("take the order's currency when they give none, and accept it when they give it", () => {
    given()
      .when(submit({ amountRequested: { amount: 20_000 } }))
      .then(([e]) => expect(e!.type === 'RefundRequestSubmitted' && e!.data.amountRequested).toEqual({ amount: 20_000, currency: 'USD' }));
    given()
      .when(submit({ amountRequested: { amount: 20_000, currency: 'USD' } }))
      .then((e) => expect(e).toHaveLength(1));
  });

  it("refuse another currency with currency_mismatch naming the field and the order's currencies (400)", () => {
    const refusal = given()
      .when(submit({ amountRequested: { amount: 20_000, currency: 'JPY' } }))
      .thenThrows('invalid', 'currency_mismatch', { field: 'currency', orderCurrencies: ['USD'] });
    expect(refusal.message).toContain('USD');
  });

  it('need a currency when the order was paid in several', () => {
    const mixed = withoutRefundDecisions(
      stateOf([
        ...history(purchase(T0, [{ sku: 'ESU', quantity: 1 }])).map((e) =>
          e.type === 'SoftwarePurchased' ? { ...e, data: { ...e.data, lines: [...e.data.lines, { ...e.data.lines[0]!, line: 2, currency: 'EUR' }] } } : e,
        ),
      ]),
    );
    const decide = (over: Partial<SubmitRefundRequest['data']>) => () => decideRefundRequest(submit(over), initialRefundRequestState, mixed);
    expect(decide({ amountRequested: { amount: 10 } })).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'invalid_currency', details: expect.objectContaining({ field: 'currency' }) }),
    );
    expect(decide({ amountRequested: { amount: 10, currency: 'EUR' } })()[0]).toEqual(expect.objectContaining({ type: 'RefundRequestSubmitted' }));
    expect(decide({ amountRequested: { amount: 10, currency: 'JPY' } })).toThrow(expect.objectContaining({ code: 'currency_mismatch' }));
  });

  it('without an order keep the currency given, USD when none', () => {
    const bySubscription = (amountRequested: { amount: number; currency?: string }) =>
      submit({ orderId: undefined, subscriptionId: 'sub-42', amountRequested });
    given()
      .when(bySubscription({ amount: 5, currency: 'JPY' }))
      .then(([e]) => expect(e!.type === 'RefundRequestSubmitted' && e!.data.amountRequested.currency).toBe('JPY'));
    given()
      .when(bySubscription({ amount: 5 }))
      .then(([e]) => expect(e!.type === 'RefundRequestSubmitted' && e!.data.amountRequested.currency).toBe('USD'));
  });

  it('refuse an order that is not the one named, as not found', () => {
    expect(() => decideRefundRequest(submit({ orderId: 'another-order' }), initialRefundRequestState, order)).toThrow(
      expect.objectContaining({ kind: 'not-found', code: 'order_not_found' }),
    );
  });
});
