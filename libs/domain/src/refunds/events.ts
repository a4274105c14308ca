import type { Money } from '../shared/money';
import type { DomainEvent } from '../shared/command';
import type { AccessedBy, CreditIssued } from '../orders/events';

export interface RefundContact {
  name: string;
  email: string;
  phone: string;
}

/** Stream `refundRequest-<refundRequestId>`. */
export type RefundRequestSubmitted = DomainEvent<
  'RefundRequestSubmitted',
  {
    refundRequestId: string;
    partnerTenantId: string;
    /** At least one of customerTenantId / domain. */
    customerTenantId?: string;
    domain?: string;
    customerId?: string;
    /** At least one of orderId / subscriptionId. */
    orderId?: string;
    subscriptionId?: string;
    reason: string;
    amountRequested: Money;
    contact: RefundContact;
    attachments: string[];
    submittedAt: string;
    submittedBy: AccessedBy;
  }
>;

export type RefundRequestApproved = DomainEvent<
  'RefundRequestApproved',
  {
    refundRequestId: string;
    partnerTenantId: string;
    approvedAmount: Money;
    note?: string;
    approvedAt: string;
    approvedBy: AccessedBy;
  }
>;

export type RefundRequestRejected = DomainEvent<
  'RefundRequestRejected',
  {
    refundRequestId: string;
    partnerTenantId: string;
    reason: string;
    rejectedAt: string;
    rejectedBy: AccessedBy;
  }
>;

export type RefundRequestEvent =
  | RefundRequestSubmitted
  | RefundRequestApproved
  | RefundRequestRejected
  | CreditIssued;
