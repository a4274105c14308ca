import { Controller, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Ctx, ReadYourWritesQueryDto, type RequestContext, UuidParam, ReadRoute } from '@csp/http';
import { GetOrderHistoryQuery } from './get-order-history.query';
import { OrderHistoryResponse } from './order-history.response';

/**
 * A customer's order history, from its read model (read-your-writes): a query by id, so a customer
 * the read models have not caught up with is 503 read_model_behind. The route's OpenAPI identity
 * (operationId and tag) is the one clients were generated with.
 */
@ApiTags('CustomerReads')
@Controller('v1/customers/:customerId')
export class OrderHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @ReadRoute(
    'orders',
    'order.read',
    { operationId: 'CustomerReadsController_orders', summary: "List a customer's orders" },
    { type: OrderHistoryResponse, description: "The customer's orders with their status, totals and events" },
    { byId: true },
  )
  orders(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query() _query: ReadYourWritesQueryDto,
  ): Promise<OrderHistoryResponse> {
    return this.queries.execute(new GetOrderHistoryQuery(context, customerId));
  }
}
