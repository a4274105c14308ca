import { invoiceMonthAfter } from '../policy/credit';
import type { Command } from '../shared/command';
import { conflict, invalid, notFound } from '../shared/errors';
import type { Money } from '../shared/money';
import { instantMs, isoOf } from '../shared/time';
import type { RefundContact, RefundRequestEvent, RefundRequestSubmitted } from './events';

export type SubmitRefundRequest = Command<
  'SubmitRefundRequest',
  Omit<RefundRequestSubmitted['data'], 'submittedAt' | 'submittedBy'>
>;
export type ApproveRefundRequest = Command<'ApproveRefundRequest', { refundRequestId: string; amount?: number; note?: string; taxInclusive: boolean }>;
export type RejectRefundRequest = Command<'RejectRefundRequest', { refundRequestId: string; reason: string }>;
export type RefundRequestCommand = SubmitRefundRequest | ApproveRefundRequest | RejectRefundRequest;

export type RefundRequestState =
  | { readonly status: 'none' }
  | {
      readonly status: 'submitted' | 'approved' | 'rejected';
      readonly request: RefundRequestSubmitted['data'];
    };

export const initialRefundRequestState: RefundRequestState = { status: 'none' };

export const MAX_ATTACHMENTS = 20;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export function decideRefundRequest(command: RefundRequestCommand, state: RefundRequestState): RefundRequestEvent[] {
  const by = { sub: command.metadata.actor.sub, tid: command.metadata.actor.tid, roles: [...command.metadata.actor.roles] };
  const nowMs = instantMs(command.metadata.now, 'now');
  const now = isoOf(nowMs);
  switch (command.type) {
    case 'SubmitRefundRequest': {
      if (state.status !== 'none') throw conflict('refund_request_exists', 'This refund request already exists');
      validateSubmission(command.data);
      return [{ type: 'RefundRequestSubmitted', data: { ...command.data, submittedAt: now, submittedBy: by } }];
    }
    case 'ApproveRefundRequest': {
      const request = decidable(state);
      const requested = request.amountRequested;
      const amount = command.data.amount ?? requested.amount;
      if (!Number.isSafeInteger(amount) || amount < 1 || amount > requested.amount) {
        throw invalid('invalid_amount', `The approved amount must be from 1 to the ${requested.amount} requested`, { field: 'amount' });
      }
      const approvedAmount: Money = { amount, currency: requested.currency };
      return [
        {
          type: 'RefundRequestApproved',
          data: { refundRequestId: request.refundRequestId, partnerTenantId: request.partnerTenantId, approvedAmount, ...(command.data.note ? { note: command.data.note } : {}), approvedAt: now, approvedBy: by },
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
            taxInclusive: command.data.taxInclusive,
            invoiceMonth: invoiceMonthAfter(nowMs),
            issuedAt: now,
          },
        },
      ];
    }
    case 'RejectRefundRequest': {
      const request = decidable(state);
      if (command.data.reason.trim() === '') throw invalid('invalid_reason', 'A rejection needs a reason', { field: 'reason' });
      return [
        {
          type: 'RefundRequestRejected',
          data: { refundRequestId: request.refundRequestId, partnerTenantId: request.partnerTenantId, reason: command.data.reason, rejectedAt: now, rejectedBy: by },
        },
      ];
    }
  }
}

function decidable(state: RefundRequestState): RefundRequestSubmitted['data'] {
  if (state.status === 'none') throw notFound('refund_request_not_found', 'No such refund request');
  if (state.status !== 'submitted') throw conflict('refund_request_decided', `This refund request was already ${state.status}`);
  return state.request;
}

function validateSubmission(data: SubmitRefundRequest['data']): void {
  if (!data.customerTenantId && !data.domain) throw invalid('invalid_refund_request', 'tenantId or domain is required', { field: 'tenantId' });
  if (!data.orderId && !data.subscriptionId) throw invalid('invalid_refund_request', 'orderId or subscriptionId is required', { field: 'orderId' });
  if (data.reason.trim() === '') throw invalid('invalid_refund_request', 'reason must not be empty', { field: 'reason' });
  if (!Number.isSafeInteger(data.amountRequested.amount) || data.amountRequested.amount < 1) {
    throw invalid('invalid_amount', 'amount must be a positive whole number of minor units', { field: 'amount' });
  }
  if (!/^[A-Z]{3}$/.test(data.amountRequested.currency)) throw invalid('invalid_currency', 'currency must be an ISO 4217 code', { field: 'currency' });
  validateContact(data.contact);
  if (data.attachments.length > MAX_ATTACHMENTS) throw invalid('invalid_attachments', `At most ${MAX_ATTACHMENTS} attachments`, { field: 'attachments' });
}

function validateContact(contact: RefundContact): void {
  if (contact.name.trim() === '') throw invalid('invalid_contact', 'contact.name must not be empty', { field: 'contact.name' });
  if (!EMAIL.test(contact.email)) throw invalid('invalid_contact', 'contact.email must be an e-mail address', { field: 'contact.email' });
  if (contact.phone.trim() === '') throw invalid('invalid_contact', 'contact.phone must not be empty', { field: 'contact.phone' });
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
