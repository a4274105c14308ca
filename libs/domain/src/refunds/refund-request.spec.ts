import { specFor } from '../testing/given-when-then';
import { agent, CUSTOMER_TENANT, ORDER_ID, PARTNER } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import type { RefundRequestEvent } from './events';
import {
  decideRefundRequest,
  evolveRefundRequest,
  initialRefundRequestState,
  type RefundRequestCommand,
  type RefundRequestState,
  type SubmitRefundRequest,
} from './refund-request';

const spec = specFor<RefundRequestState, RefundRequestCommand, RefundRequestEvent>({
  initialState: initialRefundRequestState,
  decide: decideRefundRequest,
  evolve: evolveRefundRequest,
});
const NOW = '2026-03-02T10:00:00.000Z';
const backOffice: Actor = { sub: 'bo-1', tid: '99999999-9999-4999-8999-999999999999', roles: ['back-office'] };
const submit = (over: Partial<SubmitRefundRequest['data']> = {}): SubmitRefundRequest => ({
  type: 'SubmitRefundRequest',
  data: {
    refundRequestId: 'r-1',
    partnerTenantId: PARTNER,
    customerTenantId: CUSTOMER_TENANT,
    orderId: ORDER_ID,
    reason: 'ESU bought by mistake',
    amountRequested: { amount: 20_000, currency: 'USD' },
    contact: { name: 'Ana', email: 'ana@contoso.example', phone: '+33 1 23 45 67 89' },
    attachments: ['invoice.pdf'],
    ...over,
  },
  metadata: { actor: agent, now: NOW },
});
const approve = (amount?: number): RefundRequestCommand => ({
  type: 'ApproveRefundRequest',
  data: { refundRequestId: 'r-1', taxInclusive: true, ...(amount !== undefined ? { amount } : {}) },
  metadata: { actor: backOffice, now: '2026-03-05T09:00:00.000Z' },
});
const reject = (): RefundRequestCommand => ({ type: 'RejectRefundRequest', data: { refundRequestId: 'r-1', reason: 'outside policy' }, metadata: { actor: backOffice, now: NOW } });
const submitted = decideRefundRequest(submit(), initialRefundRequestState);

describe('refund requests', () => {
  it('are submitted with who filed them', () => {
    spec().when(submit()).then(([e]) => expect(e).toEqual({ type: 'RefundRequestSubmitted', data: expect.objectContaining({ refundRequestId: 'r-1', submittedAt: NOW, submittedBy: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] } }) }));
  });

  it.each([
    [{ customerTenantId: undefined, domain: undefined }, 'tenantId'],
    [{ orderId: undefined, subscriptionId: undefined }, 'orderId'],
    [{ amountRequested: { amount: 0, currency: 'USD' } }, 'amount'],
    [{ amountRequested: { amount: 10, currency: 'dollars' } }, 'currency'],
    [{ contact: { name: 'Ana', email: 'not-an-email', phone: '1' } }, 'contact.email'],
    [{ contact: { name: '', email: 'a@b.example', phone: '1' } }, 'contact.name'],
    [{ contact: { name: 'Ana', email: 'a@b.example', phone: ' ' } }, 'contact.phone'],
    [{ attachments: Array.from({ length: 21 }, (_, i) => `${i}.pdf`) }, 'attachments'],
    [{ reason: '  ' }, 'reason'],
  ])('refuse %p naming %s', (over, field) => {
    spec().when(submit(over as Partial<SubmitRefundRequest['data']>)).thenThrows('invalid', expect.any(String) as unknown as string, { field });
  });

  it('accept a domain and a subscription id instead of a tenant id and an order id', () => {
    spec().when(submit({ customerTenantId: undefined, domain: 'contoso.example', orderId: undefined, subscriptionId: 'sub-42' })).then((e) => expect(e).toHaveLength(1));
  });

  it('approved produce a credit on the next monthly invoice, as tax-inclusive as the order', () => {
    spec(submitted).when(approve()).then(([approved, credit]) => {
      expect(approved!.type).toBe('RefundRequestApproved');
      expect(credit).toEqual({
        type: 'CreditIssued',
        data: expect.objectContaining({ creditId: 'r-1', source: { type: 'refund-request', refundRequestId: 'r-1', orderId: ORDER_ID }, amount: 20_000, currency: 'USD', taxInclusive: true, invoiceMonth: '2026-04', partnerTenantId: PARTNER }),
      });
    });
    spec(submitted).when(approve(5_000)).then(([, credit]) => expect(credit!.type === 'CreditIssued' && credit!.data.amount).toBe(5_000));
  });

  it('refuse an approval above the amount requested, deciding twice, and unknown requests', () => {
    spec(submitted).when(approve(20_001)).thenThrows('invalid', 'invalid_amount');
    spec(submitted).when(approve(0)).thenThrows('invalid', 'invalid_amount');
    const approved = [...submitted, ...decideRefundRequest(approve(), submitted.reduce(evolveRefundRequest, initialRefundRequestState))];
    spec(approved).when(reject()).thenThrows('conflict', 'refund_request_decided');
    spec(approved).when(approve()).thenThrows('conflict', 'refund_request_decided');
    spec().when(approve()).thenThrows('not-found', 'refund_request_not_found');
    spec(submitted).when(submit()).thenThrows('conflict', 'refund_request_exists');
  });

  it('rejected produce no credit', () => {
    spec(submitted).when(reject()).then((e) => expect(e.map((x) => x.type)).toEqual(['RefundRequestRejected']));
  });
});
