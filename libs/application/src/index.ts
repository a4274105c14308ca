import {
  CancelOrderHandler,
  CheckDownloadLinkHandler,
  IssueDownloadLinkHandler,
  PurchaseSoftwareHandler,
  RecordDownloadHandler,
  RevealKeyHandler,
} from './orders/order-handlers';
import { GetCancellationEligibilityHandler, GetOrderHandler } from './orders/order-queries';
import { GetActivityLogHandler, GetOrderHistoryHandler, GetSoftwareListHandler } from './queries/read-queries';
import { ReadConsistency } from './queries/read-consistency';
import { GetCatalogHandler, GetKmsMigrationDeadlineHandler } from './queries/reference-queries';
import { KeyAccessThrottle } from './throttling/key-access-throttle';
import { DecideRefundRequestHandler, GetRefundRequestHandler, SubmitRefundRequestHandler } from './refunds/refund-handlers';

export * from './tokens';
export * from './context';
export * from './ids';
export * from './csv';
export { idnaDomain } from './domain-names';
export * from './reference-data';
export * from './stream-repository';
export * from './upcasting';
export * from './audit';
export * from './logging/json-logger';
export * from './orders/order-commands';
export * from './orders/order-handlers';
export * from './orders/order-queries';
export * from './orders/order-stream';
export * from './refunds/refund-handlers';
export * from './queries/read-queries';
export * from './queries/reference-queries';
export * from './queries/read-consistency';
export * from './queries/read-model-behind';
export * from './throttling/key-access-throttle';

/** The CQRS handlers not yet moved into their bounded context (the webhooks' are in @csp/webhooks/module, the analytics' in @csp/analytics/module, the credits' in @csp/credits/module, the customers' in @csp/customers/module), for the apps' modules to register. */
export const APPLICATION_HANDLERS = [
  PurchaseSoftwareHandler,
  RevealKeyHandler,
  IssueDownloadLinkHandler,
  RecordDownloadHandler,
  CheckDownloadLinkHandler,
  CancelOrderHandler,
  GetOrderHandler,
  GetCancellationEligibilityHandler,
  SubmitRefundRequestHandler,
  DecideRefundRequestHandler,
  GetRefundRequestHandler,
  GetSoftwareListHandler,
  GetOrderHistoryHandler,
  GetActivityLogHandler,
  GetCatalogHandler,
  GetKmsMigrationDeadlineHandler,
  ReadConsistency,
  KeyAccessThrottle,
];
