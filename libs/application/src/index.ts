import { DestroyKeyMaterialHandler, RegisterCustomerHandler } from './customers/customer-handlers';
import {
  CancelOrderHandler,
  CheckDownloadLinkHandler,
  IssueDownloadLinkHandler,
  PurchaseSoftwareHandler,
  RecordDownloadHandler,
  RevealKeyHandler,
} from './orders/order-handlers';
import { GetCancellationEligibilityHandler, GetOrderHandler } from './orders/order-queries';
import { GetCustomerHandler, GetOrderHistoryHandler, GetSoftwareListHandler } from './queries/read-queries';
import { ReadConsistency } from './queries/read-consistency';
import { GetCatalogHandler, GetKmsMigrationDeadlineHandler } from './queries/reference-queries';
import { KeyAccessThrottle } from './throttling/key-access-throttle';
import { DecideRefundRequestHandler, GetRefundRequestHandler, SubmitRefundRequestHandler } from './refunds/refund-handlers';

export * from './tokens';
export * from './context';
export * from './ids';
export * from './csv';
export * from './reference-data';
export * from './stream-repository';
export * from './upcasting';
export * from './logging/json-logger';
export * from './customers/customer-handlers';
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

/** The CQRS handlers not yet moved into their bounded context (the webhooks' are in @csp/webhooks/module, the analytics' in @csp/analytics/module, the credits' in @csp/credits/module, the activity log's in @csp/audit/module), for the apps' modules to register. */
export const APPLICATION_HANDLERS = [
  RegisterCustomerHandler,
  DestroyKeyMaterialHandler,
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
  GetCustomerHandler,
  GetSoftwareListHandler,
  GetOrderHistoryHandler,
  GetCatalogHandler,
  GetKmsMigrationDeadlineHandler,
  ReadConsistency,
  KeyAccessThrottle,
];
