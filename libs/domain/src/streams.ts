/** Stream names: one stream per order, per refund request, and per partner's customer registry. */
export const orderStreamId = (orderId: string) => `order-${orderId}`;
export const refundRequestStreamId = (refundRequestId: string) => `refundRequest-${refundRequestId}`;
/** A partner's customers share one stream because tenant ids and domains are unique per partner. */
export const customerRegistryStreamId = (partnerTenantId: string) => `customers-${partnerTenantId}`;
/**
 * Where a refund request's decision (approval with its credit, or rejection) is appended: to the
 * stream of the order it names — the credit moves that order's money, and the order's expected
 * revision is what keeps its credits within what it was paid against racing approvals and
 * cancellations, in one commit — else to the request's own stream.
 */
export const refundDecisionStreamId = (request: { readonly refundRequestId: string; readonly orderId?: string }) =>
  request.orderId !== undefined ? orderStreamId(request.orderId) : refundRequestStreamId(request.refundRequestId);
