import { conflict, invalid, MAX_ATTACHMENTS, MAX_EMAIL_LENGTH, notFound } from '@csp/domain';
import { type OrderState, type PlacedOrder } from '@csp/orders';
import type { RefundContact, RefundRequestSubmitted } from './refund-request.events';
import type { RefundRequestState } from './refund-request.state';
import type { SubmitRefundRequest } from './refund-request.commands';

/*
 * The rules of a refund request both sides need: the HTTP layer checks a submission with
 * checkRefundSubmission before it looks anything up, the deciders again on the state.
 */

/** The currency of a request that names no order and gives none (the behaviour before currencies were checked). */
export const DEFAULT_REFUND_CURRENCY = 'USD';
// An e-mail address: a dot-atom local part of at most 64 characters (no quoted forms), '@', and a
// host name of labels (letters, digits, hyphens inside; non-ASCII letters allowed) ending in a
// top-level domain of letters or a punycode one. No IP literals, no display names.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u00A1-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF-]+";
const LABEL = '(?!-)[A-Za-z0-9\\u00A1-\\uFFFF-]{1,63}(?<!-)';
const TLD = '(?:[A-Za-z\\u00A1-\\u00A8\\u00AA-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]{2,63}|xn--[A-Za-z0-9-]{1,59})';
const EMAIL = new RegExp(`^(?=[^@]{1,64}@)${ATEXT}(?:\\.${ATEXT})*@(?:${LABEL}\\.)+${TLD}$`);
/** A telephone number as people write it: digits, spaces, parentheses, dots and hyphens, an optional leading +. */
const PHONE = /^\+?[0-9 ().-]{1,40}$/;

/**
 * The rules of a refund request that need no state (SPEC §1: tenant id or domain, order id or
 * subscription id, reason, amount requested, contact, attachments), in the order they are checked.
 * The decider applies them; the application applies them too before it looks up the order and the
 * customer a request names, so that a request that can never succeed is refused as such (400)
 * rather than with what a lookup found. Returns the amount requested.
 */
export function checkRefundSubmission(data: SubmitRefundRequest['data'], options: { readonly tenantFromOrder?: boolean } = {}): number {
  // Before the order is loaded (`tenantFromOrder`), a request naming one will get its tenant from it.
  const tenantKnown = Boolean(data.customerTenantId || data.domain || (options.tenantFromOrder && data.orderId));
  if (!tenantKnown) throw invalid('invalid_refund_request', 'tenantId or domain is required', { field: 'tenantId' });
  if (!data.orderId && !data.subscriptionId) throw invalid('invalid_refund_request', 'orderId or subscriptionId is required', { field: 'orderId' });
  if (data.reason.trim() === '') throw invalid('invalid_refund_request', 'reason must not be empty', { field: 'reason' });
  const { amount } = data.amountRequested;
  if (amount === undefined) throw invalid('invalid_amount', 'amount (the amount requested, in minor units) is required', { field: 'amount' });
  if (!Number.isSafeInteger(amount) || amount < 1) {
    throw invalid('invalid_amount', 'amount must be a positive whole number of minor units', { field: 'amount' });
  }
  const given = data.amountRequested.currency;
  if (given !== undefined && !/^[A-Z]{3}$/.test(given)) throw invalid('invalid_currency', 'currency must be an ISO 4217 code', { field: 'currency' });
  validateContact(data.contact);
  if (data.attachments.length > MAX_ATTACHMENTS) throw invalid('invalid_attachments', `At most ${MAX_ATTACHMENTS} attachments`, { field: 'attachments' });
  return amount;
}

function validateContact(contact: RefundContact): void {
  if (contact.name.trim() === '') throw invalid('invalid_contact', 'contact.name must not be empty', { field: 'contact.name' });
  if (contact.email.length > MAX_EMAIL_LENGTH || !EMAIL.test(contact.email))
    throw invalid('invalid_contact', 'contact.email must be an e-mail address', { field: 'contact.email' });
  if (contact.phone.trim() === '') throw invalid('invalid_contact', 'contact.phone must not be empty', { field: 'contact.phone' });
  if (!PHONE.test(contact.phone)) throw invalid('invalid_contact', 'contact.phone must be a telephone number', { field: 'contact.phone' });
}

/** The order a command names, placed; without it the caller broke the contract of decideRefundRequest. */
export function orderNamed(order: OrderState | undefined, orderId: string): PlacedOrder {
  if (order === undefined) throw new Error(`Deciding a refund request that names order ${orderId} needs that order's state`);
  if (order.status !== 'placed' || order.ref.orderId !== orderId) throw notFound('order_not_found', 'No such order');
  return order;
}

export function decidable(state: RefundRequestState): RefundRequestSubmitted['data'] {
  if (state.status === 'none') throw notFound('refund_request_not_found', 'No such refund request');
  if (state.status !== 'submitted') throw conflict('refund_request_decided', `This refund request was already ${state.status}`);
  return state.request;
}
