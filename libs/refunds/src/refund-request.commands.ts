import type { Command } from '@csp/domain';
import type { RefundRequestSubmitted } from './refund-request.events';

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
