import { MAX_ATTACHMENTS } from '@csp/domain';
import { checkRefundSubmission, type SubmitRefundRequest } from '..';
import { REFUND_CONTACT as contact, givenRefundRequest as given, submitRefund } from '../testing/refunds';

// The rules of a submission are the domain's alone: the API's DTO only checks types and sizes.
const submit = (over: Partial<SubmitRefundRequest['data']> = {}) => submitRefund('r-1', '2026-03-02T10:00:00.000Z', over);

describe('a refund request submission', () => {
  it('needs an amount: a request without one is refused naming the field', () => {
    const refusal = given()
      .when(submit({ amountRequested: { amount: undefined } }))
      .thenThrows('invalid', 'invalid_amount', { field: 'amount' });
    expect(refusal.message).toBe('amount (the amount requested, in minor units) is required');
  });

  it.each([['ana.maria+refunds@contoso.example'], ['zoë@bücher.example'], ['ops@xn--bcher-kva.example']])('takes the e-mail address %s', (email) => {
    given()
      .when(submit({ contact: { ...contact, email } }))
      .then((events) => expect(events).toHaveLength(1));
  });

  it.each([
    ['ana..maria@contoso.example'],
    ['.ana@contoso.example'],
    ['ana@-contoso.example'],
    ['ana@contoso..example'],
    ['ana@contoso.e'],
    ['ana@10.0.0.1'],
    ['ana@contoso_x.example'],
    [`${'a'.repeat(65)}@contoso.example`],
    [`ana@${'c'.repeat(250)}.example`],
  ])('refuses the e-mail address %s', (email) => {
    given()
      .when(submit({ contact: { ...contact, email } }))
      .thenThrows('invalid', 'invalid_contact', { field: 'contact.email' });
  });

  it('takes a telephone number as people write it, and refuses anything else', () => {
    for (const phone of ['+33 1 23 45 67 89', '(555) 010-0199', '01.23.45.67.89', '112'])
      given()
        .when(submit({ contact: { ...contact, phone } }))
        .then((events) => expect(events).toHaveLength(1));
    for (const phone of ['call me', '+33 1 23 45 67 89 ext. 12', '1'.repeat(41), '++33 1']) {
      const refusal = given()
        .when(submit({ contact: { ...contact, phone } }))
        .thenThrows('invalid', 'invalid_contact', { field: 'contact.phone' });
      expect(refusal.message).toBe('contact.phone must be a telephone number');
    }
  });

  it('is checked by checkRefundSubmission before any lookup, in the order the decider checks it', () => {
    const data = (over: Partial<SubmitRefundRequest['data']>) => submit(over).data;
    expect(checkRefundSubmission(data({}))).toBe(20_000);
    expect(() => checkRefundSubmission(data({ customerTenantId: undefined, orderId: undefined }))).toThrow(
      expect.objectContaining({ code: 'invalid_refund_request', details: { field: 'tenantId' } }),
    );
    expect(() => checkRefundSubmission(data({ orderId: undefined, amountRequested: { amount: undefined } }))).toThrow(
      expect.objectContaining({ code: 'invalid_refund_request', details: { field: 'orderId' } }),
    );
    expect(() => checkRefundSubmission(data({ attachments: Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => `a${i}.pdf`) }))).toThrow(
      expect.objectContaining({ code: 'invalid_attachments' }),
    );
    // It needs no order: the currency of a request naming one is the decider's to check, on the order.
    expect(checkRefundSubmission(data({ amountRequested: { amount: 5, currency: 'JPY' } }))).toBe(5);
  });
});
