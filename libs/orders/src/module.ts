// The orders context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/orders` barrel.
import { CancelOrderHandler } from './cancel/cancel-order.handler';
import { CheckDownloadLinkHandler, RecordDownloadHandler } from './download-links/download.handlers';
import { DownloadsController } from './download-links/downloads.controller';
import { IssueDownloadLinkHandler } from './download-links/issue-download-link.handler';
import { GetCancellationEligibilityHandler } from './eligibility/get-cancellation-eligibility.query';
import { GetOrderHandler } from './get-order/get-order.query';
import { GetOrderHistoryHandler } from './order-history/get-order-history.query';
import { OrderHistoryController } from './order-history/order-history.controller';
import { OrdersController } from './orders.controller';
import { PurchaseSoftwareHandler } from './purchase/purchase-software.handler';
import { RevealKeyHandler } from './reveal-key/reveal-key.handler';
import { GetSoftwareListHandler } from './software-list/get-software-list.query';
import { SoftwareListController } from './software-list/software-list.controller';

/** The orders' CQRS handlers, for the API module to register (with EVENT_STORE, CLOCK, REFERENCE_DATA, READ_SIDE, the vault and the keyring bound). */
export const ORDERS_HANDLERS = [
  PurchaseSoftwareHandler,
  RevealKeyHandler,
  IssueDownloadLinkHandler,
  RecordDownloadHandler,
  CheckDownloadLinkHandler,
  CancelOrderHandler,
  GetOrderHandler,
  GetCancellationEligibilityHandler,
  GetSoftwareListHandler,
  GetOrderHistoryHandler,
];
/** The orders' routes: the orders controller (purchase, reveal, links, eligibility, cancel), the download links, a customer's software list and order history. */
export const ORDERS_CONTROLLERS = [OrdersController, DownloadsController, SoftwareListController, OrderHistoryController];
