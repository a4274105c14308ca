import { creditableRemainder } from '../orders/credits';
import type { OrderState, PlacedOrder } from '../orders/state';
import type { OrderWithRefundDecisions } from './order-refund-decisions';
import { invoiceMonthAfter } from '../policy/credit';
import type { Command } from '../shared/command';
import { conflict, invalid, notFound } from '../shared/errors';
import { MAX_ATTACHMENTS, MAX_EMAIL_LENGTH } from '../shared/limits';
import type { Money } from '../shared/money';
import { instantMs, isoOf } from '../shared/time';
import type { CreditIssued } from '../orders/events';
import type { RefundContact, RefundRequestApproved, RefundRequestEvent, RefundRequestRejected, RefundRequestSubmitted } from './events';

/**
 * The request as filed. The currency is optional: a request that names an order is in that order's
 * currency. The amount may be missing from what a client sent: the decider refuses it then.
 */
export type SubmitRefundRequest = Command<
  'SubmitRefundRequest',
  Omit<RefundRequestSubmitted['data'], 'submittedAt' | 'submittedBy' | 'amountRequested'> & {
    amountRequested: { amount: number | undefined; currency?: string };
  }
>;
export type ApproveRefundRequest = Command<'ApproveRefundRequest', { refundRequestId: string; amount?: number; note?: string }>;
export type RejectRefundRequest = Command<'RejectRefundRequest', { refundRequestId: string; reason: string }>;
export type RefundRequestCommand = SubmitRefundRequest | ApproveRefundRequest | RejectRefundRequest;

/** What deciding a refund request appends: to the order's stream when it names one (refundDecisionStreamId). */
export type RefundDecisionEvent = RefundRequestApproved | RefundRequestRejected | CreditIssued;

export type RefundRequestState =
  | { readonly status: 'none' }
  | {
      readonly status: 'submitted' | 'approved' | 'rejected';
      readonly request: RefundRequestSubmitted['data'];
    };

export const initialRefundRequestState: RefundRequestState = { status: 'none' };

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
 * Decides a refund request command. `order` is the state of the order the request names, and is
 * required when it names one: the request takes the order's currency, and its approval is capped
 * by what the order has left to credit. The events of a decision on such a request belong to the
 * order's stream (see refundDecisionStreamId), appended under the order's expected revision.
 */
export function decideRefundRequest(command: RefundRequestCommand, state: RefundRequestState, order?: OrderWithRefundDecisions): RefundRequestEvent[] {
  if (command.type !== 'SubmitRefundRequest') return decideRefundDecision(command, state, order);
  const by = accessedBy(command);
  const now = isoOf(instantMs(command.metadata.now, 'now'));
  if (state.status !== 'none') throw conflict('refund_request_exists', 'This refund request already exists');
  const amountRequested = validateSubmission(command.data, command.data.orderId !== undefined ? orderNamed(order?.order, command.data.orderId) : undefined);
  return [{ type: 'RefundRequestSubmitted', data: { ...command.data, amountRequested, submittedAt: now, submittedBy: by } }];
}

/** Approves or rejects a submitted request; for a request naming an order, on that order's state. */
export function decideRefundDecision(
  command: ApproveRefundRequest | RejectRefundRequest,
  state: RefundRequestState,
  order?: OrderWithRefundDecisions,
): RefundDecisionEvent[] {
  const by = accessedBy(command);
  const nowMs = instantMs(command.metadata.now, 'now');
  const now = isoOf(nowMs);
  const request = decidable(state);
  const placed = request.orderId !== undefined ? orderNamed(order?.order, request.orderId) : undefined;
  // Decisions of a request naming an order are in the order's stream: that is where "decided once" is known.
  const earlier = placed && order?.decisions.get(request.refundRequestId);
  if (earlier) throw conflict('refund_request_decided', `This refund request was already ${earlier}`);
  if (command.type === 'RejectRefundRequest') {
    if (command.data.reason.trim() === '') throw invalid('invalid_reason', 'A rejection needs a reason', { field: 'reason' });
    return [
      {
        type: 'RefundRequestRejected',
        data: {
          refundRequestId: request.refundRequestId,
          partnerTenantId: request.partnerTenantId,
          reason: command.data.reason,
          rejectedAt: now,
          rejectedBy: by,
        },
      },
    ];
  }
  const requested = request.amountRequested;
  const amount = command.data.amount ?? requested.amount;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > requested.amount) {
    throw invalid('invalid_amount', `The approved amount must be from 1 to the ${requested.amount} requested`, { field: 'amount' });
  }
  const approvedAmount: Money = { amount, currency: requested.currency };
  // A request without an order is capped by its amount alone (checked above).
  if (placed) assertCreditFits(placed, approvedAmount, command.data.amount === undefined);
  return [
    {
      type: 'RefundRequestApproved',
      data: {
        refundRequestId: request.refundRequestId,
        partnerTenantId: request.partnerTenantId,
        approvedAmount,
        ...(command.data.note ? { note: command.data.note } : {}),
        approvedAt: now,
        approvedBy: by,
      },
    },
    {
      type: 'CreditIssued',
      data: {
        creditId: request.refundRequestId,
        source: { type: 'refund-request', refundRequestId: request.refundRequestId, ...(request.orderId ? { orderId: request.orderId } : {}) },
        partnerTenantId: request.partnerTenantId,
        ...(request.customerId ? { customerId: request.customerId } : {}),
        ...(request.customerTenantId ? { customerTenantId: request.customerTenantId } : {}),
        ...(request.orderId ? { orderId: request.orderId } : {}),
        amount,
        currency: requested.currency,
        // As tax-inclusive as the order it refunds; a request without an order has no prices to follow.
        taxInclusive: placed?.taxInclusive ?? false,
        invoiceMonth: invoiceMonthAfter(nowMs),
        issuedAt: now,
      },
    },
  ];
}

/**
 * The order's credits, from cancellations and approved refunds together, never exceed what its
 * lines were paid: an approval beyond what the order has left to credit is refused, whatever was
 * requested. The refusal names the remainder, so back office can approve that much instead.
 */
function assertCreditFits(order: PlacedOrder, credit: Money, amountImplied: boolean): void {
  const remaining = creditableRemainder(order, credit.currency);
  if (credit.amount <= remaining) return;
  const orderId = order.ref.orderId;
  const paid = order.paid.get(credit.currency) ?? 0;
  const credited = order.credited.get(credit.currency) ?? 0;
  const details = {
    field: 'amount',
    orderId,
    approved: credit,
    remaining: { amount: remaining, currency: credit.currency },
    paid: { amount: paid, currency: credit.currency },
    credited: { amount: credited, currency: credit.currency },
  };
  const account = `order ${orderId} was paid ${paid} and has been credited ${credited} ${credit.currency}`;
  if (remaining === 0) throw conflict('credit_exceeds_order', `Nothing is left to credit in ${credit.currency}: ${account}`, details);
  throw conflict(
    'credit_exceeds_order',
    amountImplied
      ? `The ${credit.amount} requested exceed the ${remaining} ${credit.currency} left to credit (${account}); approve with an amount of at most ${remaining}`
      : `The approved amount ${credit.amount} exceeds the ${remaining} ${credit.currency} left to credit (${account})`,
    details,
  );
}

/** The order a command names, placed; without it the caller broke the contract of decideRefundRequest. */
function orderNamed(order: OrderState | undefined, orderId: string): PlacedOrder {
  if (order === undefined) throw new Error(`Deciding a refund request that names order ${orderId} needs that order's state`);
  if (order.status !== 'placed' || order.ref.orderId !== orderId) throw notFound('order_not_found', 'No such order');
  return order;
}

const accessedBy = (command: RefundRequestCommand) => ({
  sub: command.metadata.actor.sub,
  tid: command.metadata.actor.tid,
  roles: [...command.metadata.actor.roles],
});

function decidable(state: RefundRequestState): RefundRequestSubmitted['data'] {
  if (state.status === 'none') throw notFound('refund_request_not_found', 'No such refund request');
  if (state.status !== 'submitted') throw conflict('refund_request_decided', `This refund request was already ${state.status}`);
  return state.request;
}

/** Checks a submission; returns the amount requested, in the order's currency when it names one, else in the one given. */
function validateSubmission(data: SubmitRefundRequest['data'], order: PlacedOrder | undefined): Money {
  const amount = checkRefundSubmission(data);
  const given = data.amountRequested.currency;
  return { amount, currency: order ? orderCurrency(order, given) : (given ?? DEFAULT_REFUND_CURRENCY) };
}

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

/**
 * A request naming an order is in that order's money: a credit in another currency would refund
 * what was never paid (a USD order credited in JPY), so another currency is refused rather than
 * converted. An order paid in several currencies (a catalog mixing them) needs the request to say which.
 */
function orderCurrency(order: PlacedOrder, given: string | undefined): string {
  const currencies = [...order.paid.keys()];
  if (given === undefined) {
    if (currencies.length === 1) return currencies[0]!;
    throw invalid('invalid_currency', `The order was paid in ${currencies.join(' and ')}: currency must say which`, {
      field: 'currency',
      orderCurrencies: currencies,
    });
  }
  if (!currencies.includes(given)) {
    throw invalid('currency_mismatch', `The order was paid in ${currencies.join(', ')}, not ${given}: a refund request is in the money of the order it names`, {
      field: 'currency',
      orderCurrencies: currencies,
    });
  }
  return given;
}

function validateContact(contact: RefundContact): void {
  if (contact.name.trim() === '') throw invalid('invalid_contact', 'contact.name must not be empty', { field: 'contact.name' });
  if (contact.email.length > MAX_EMAIL_LENGTH || !EMAIL.test(contact.email))
    throw invalid('invalid_contact', 'contact.email must be an e-mail address', { field: 'contact.email' });
  if (contact.phone.trim() === '') throw invalid('invalid_contact', 'contact.phone must not be empty', { field: 'contact.phone' });
  if (!PHONE.test(contact.phone)) throw invalid('invalid_contact', 'contact.phone must be a telephone number', { field: 'contact.phone' });
}

export function evolveRefundRequest(state: RefundRequestState, event: RefundRequestEvent): RefundRequestState {
  switch (event.type) {
    case 'RefundRequestSubmitted':
      return { status: 'submitted', request: event.data };
    case 'RefundRequestApproved':
      return state.status === 'none' ? state : { ...state, status: 'approved' };
    case 'RefundRequestRejected':
      return state.status === 'none' ? state : { ...state, status: 'rejected' };
    default:
      return state;
  }
}
