import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, Ctx, ReadYourWrites, ReadYourWritesQueryDto, type RequestContext, UuidParam } from '@csp/http';
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

  @Get('orders')
  @ApiOperation({ operationId: 'CustomerReadsController_orders', summary: "List a customer's orders" })
  @Authorize('order.read')
  // Above @ReadYourWrites, so applied after it: its 200 (the read-model headers, no schema) merged with this one keeps both.
  @ApiOkResponse({ type: OrderHistoryResponse, description: "The customer's orders with their status, totals and events" })
  @ReadYourWrites({ byId: true })
  orders(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query() _query: ReadYourWritesQueryDto,
  ): Promise<OrderHistoryResponse> {
    return this.queries.execute(new GetOrderHistoryQuery(context, customerId));
  }
}
