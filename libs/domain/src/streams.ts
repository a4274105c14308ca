/*
 * Stream names: the one place they are spelled (the event contract documents them too, as each
 * event's `@stream`). Every command and query handler that loads or appends (each context's handlers), the
 * read side's stream filter (libs/projections read-side.ts PRODUCT_STREAMS) and the order-history
 * read model, the streams back office may follow (libs/projections published-event.ts PUBLISHED_STREAMS:
 * the SSE route and webhooks), the audit replay, and KurrentDB's order category (libs/event-store
 * kurrentdb/persistent-subscriptions.ts ORDER_CATEGORY_STREAM) take them from here.
 */

/** One stream per order: `order-<orderId>`. */
export const ORDER_STREAM_PREFIX = 'order-';
/** One stream per refund request: `refundRequest-<refundRequestId>`. */
export const REFUND_REQUEST_STREAM_PREFIX = 'refundRequest-';
/** One stream per partner's customer registry: `customers-<partnerTenantId>`. */
export const CUSTOMER_REGISTRY_STREAM_PREFIX = 'customers-';
/** One stream per caller tenant's refused bursts of key access: `keyAccessThrottling-<tenantId>`. */
export const KEY_ACCESS_THROTTLING_STREAM_PREFIX = 'keyAccessThrottling-';
/** One stream per back-office webhook: `webhook-<webhookId>`. */
export const WEBHOOK_STREAM_PREFIX = 'webhook-';

/**
 * A stream's category, as KurrentDB's `$by_category` projection reads it: the name up to its first
 * `-` (`order` for `order-<orderId>`); the server links every event of a category into `$ce-<category>`.
 */
export const streamCategory = (streamIdOrPrefix: string) => streamIdOrPrefix.slice(0, streamIdOrPrefix.indexOf('-'));

export const orderStreamId = (orderId: string) => `${ORDER_STREAM_PREFIX}${orderId}`;
export const isOrderStream = (streamId: string) => streamId.startsWith(ORDER_STREAM_PREFIX);
export const refundRequestStreamId = (refundRequestId: string) => `${REFUND_REQUEST_STREAM_PREFIX}${refundRequestId}`;
/** A partner's customers share one stream because tenant ids and domains are unique per partner. */
export const customerRegistryStreamId = (partnerTenantId: string) => `${CUSTOMER_REGISTRY_STREAM_PREFIX}${partnerTenantId}`;
/** Key-access throttling records, one stream per caller tenant. */
export const keyAccessThrottlingStreamId = (tenantId: string) => `${KEY_ACCESS_THROTTLING_STREAM_PREFIX}${tenantId}`;
export const webhookStreamId = (webhookId: string) => `${WEBHOOK_STREAM_PREFIX}${webhookId}`;
/**
 * Where a refund request's decision (approval with its credit, or rejection) is appended: to the
 * stream of the order it names — the credit moves that order's money, and the order's expected
 * revision is what keeps its credits within what it was paid against racing approvals and
 * cancellations, in one commit — else to the request's own stream.
 */
export const refundDecisionStreamId = (request: { readonly refundRequestId: string; readonly orderId?: string }) =>
  request.orderId !== undefined ? orderStreamId(request.orderId) : refundRequestStreamId(request.refundRequestId);
