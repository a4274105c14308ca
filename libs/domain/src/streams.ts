/** Stream names: one stream per order, per refund request, and per partner's customer registry. */
export const orderStreamId = (orderId: string) => `order-${orderId}`;
export const refundRequestStreamId = (refundRequestId: string) => `refundRequest-${refundRequestId}`;
/** A partner's customers share one stream because tenant ids and domains are unique per partner. */
export const customerRegistryStreamId = (partnerTenantId: string) => `customers-${partnerTenantId}`;
