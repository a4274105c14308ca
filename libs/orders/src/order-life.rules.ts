/** The events of an order's life in its own stream, which the order-centred read models follow. */
export const ORDER_LIFE_EVENTS: readonly string[] = [
  'SoftwarePurchased',
  'ProductKeyAssigned',
  'ProductKeyRevealed',
  'DownloadLinkIssued',
  'SoftwareDownloaded',
  'OrderCancelled',
  'ProductKeysRevoked',
  'DownloadLinksRevoked',
];
