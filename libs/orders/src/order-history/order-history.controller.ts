import { ReadByIdController } from '@csp/http';
import { GetOrderHistoryQuery } from './get-order-history.query';
import { OrderHistoryQueryDto } from './order-history-query.dto';
import { OrderHistoryResponse } from './order-history.response';

/** A customer's order history, from its read model. The route's OpenAPI identity (operationId and tag) is the one clients were generated with. */
export const OrderHistoryController = ReadByIdController(
  {
    name: 'OrderHistoryController',
    prefix: 'v1/customers/:customerId',
    path: 'orders',
    tag: 'CustomerReads',
    action: 'order.read',
    operation: { operationId: 'CustomerReadsController_orders', summary: "List a customer's orders" },
    ok: {
      type: OrderHistoryResponse,
      description: "A page of the customer's orders (oldest purchase first, then by order id) with their status, totals and events",
    },
    query: OrderHistoryQueryDto,
  },
  (context, customerId, query) => new GetOrderHistoryQuery(context, customerId, query.page()),
);
