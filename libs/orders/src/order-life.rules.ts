import type { CreditIssued, OrderEvent } from './order.events';

/** An event of an order's life in its own stream (its credits are not its life: a refund request's may name no order). */
export type OrderLifeEvent = Exclude<OrderEvent, CreditIssued>;

/** The events of an order's life in its own stream, which the order-centred read models follow. */
export const ORDER_LIFE_EVENTS: readonly OrderLifeEvent['type'][] = [
  'SoftwarePurchased',
  'ProductKeyAssigned',
  'ProductKeyRevealed',
  'DownloadLinkIssued',
  'SoftwareDownloaded',
  'OrderCancelled',
  'ProductKeysRevoked',
  'DownloadLinksRevoked',
];
