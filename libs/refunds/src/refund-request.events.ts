import type { AccessedBy, DomainEvent, Money } from '@csp/domain';
import type { CreditIssued } from '@csp/orders';

/** Who back office calls back about a refund request. */
export interface RefundContact {
  /** Full name. */
  name: string;
  /** E-mail address. */
  email: string;
  /** Phone number, free form. */
  phone: string;
}

/**
 * A partner filed a refund request: for a `support-request` product that cannot be cancelled
 * directly (e.g. Windows 7 ESU), or for any case the partner disputes. Back office then approves
 * or rejects it; the decision of a request that names an order is in that order's stream.
 *
 * @stream refundRequest-<refundRequestId>
 */
export type RefundRequestSubmitted = DomainEvent<
  'RefundRequestSubmitted',
  {
    /** Id of the request (UUID); also the id of the credit an approval issues. */
    refundRequestId: string;
    /** The partner tenant that filed it. */
    partnerTenantId: string;
    /** The customer's tenant id. At least one of customerTenantId / domain. */
    customerTenantId?: string;
    /** The customer's primary domain. At least one of customerTenantId / domain. */
    domain?: string;
    /** The product's customer id, when the customer is registered. */
    customerId?: string;
    /** The order refunded. At least one of orderId / subscriptionId. */
    orderId?: string;
    /** The subscription refunded. At least one of orderId / subscriptionId. */
    subscriptionId?: string;
    /** Why a refund is requested, in the partner's words. */
    reason: string;
    /**
     * Amount requested, in integer minor units. When the request names an order, in the order's
     * currency (a request giving another was refused).
     */
    amountRequested: Money;
    /** Who back office calls back. */
    contact: RefundContact;
    /** Names of the files attached to the request (the files live outside the event store). */
    attachments: string[];
    /** ISO-8601 UTC instant of the submission. */
    submittedAt: string;
    /** Who submitted it. */
    submittedBy: AccessedBy;
  }
>;

/**
 * Back office approved a refund request. Always followed, in the same stream and the same commit,
 * by the CreditIssued that puts the approved amount on the partner's next monthly invoice. For a
 * request that names an order, both are in the order's stream, decided under its expected
 * revision: the approved amount is at most what the order has left to credit after its
 * cancellations and earlier approved refunds.
 *
 * @stream order-<orderId> — requests that name an order
 * @stream refundRequest-<refundRequestId> — requests without an order (and requests naming one decided before their decisions moved to the order's stream)
 */
export type RefundRequestApproved = DomainEvent<
  'RefundRequestApproved',
  {
    /** The refund request decided. */
    refundRequestId: string;
    /** The partner tenant that filed it. */
    partnerTenantId: string;
    /** The amount granted: at most the amount requested, same currency; for a request naming an order, at most what that order had left to credit. */
    approvedAmount: Money;
    /** Back office's note to the partner, if any. */
    note?: string;
    /** ISO-8601 UTC instant of the decision. */
    approvedAt: string;
    /** The back-office user who decided. */
    approvedBy: AccessedBy;
  }
>;

/**
 * Back office rejected a refund request; no credit is issued. A request is decided once: for a
 * request naming an order, the rejection is in the order's stream, where its approval would be.
 *
 * @stream order-<orderId> — requests that name an order
 * @stream refundRequest-<refundRequestId> — requests without an order (and requests naming one decided before their decisions moved to the order's stream)
 */
export type RefundRequestRejected = DomainEvent<
  'RefundRequestRejected',
  {
    /** The refund request decided. */
    refundRequestId: string;
    /** The partner tenant that filed it. */
    partnerTenantId: string;
    /** Why it was rejected, for the partner. */
    reason: string;
    /** ISO-8601 UTC instant of the decision. */
    rejectedAt: string;
    /** The back-office user who decided. */
    rejectedBy: AccessedBy;
  }
>;

export type RefundRequestEvent = RefundRequestSubmitted | RefundRequestApproved | RefundRequestRejected | CreditIssued;
