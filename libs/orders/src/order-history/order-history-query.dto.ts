import { PagedQueryDto } from '@csp/http';
import { isOrderHistoryPosition } from './order-history.queries';

/** GET /v1/customers/{customerId}/orders: a page of the customer's orders. */
export class OrderHistoryQueryDto extends PagedQueryDto('Orders', isOrderHistoryPosition) {}
