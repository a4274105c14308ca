import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetOrderHistoryQuery, GetSoftwareListQuery } from '@csp/application';
import { Authorize, Ctx, ReadYourWrites, ReadYourWritesQueryDto, type RequestContext, UuidParam } from '@csp/http';

/**
 * A customer's software list and order history, from the read models (read-your-writes). Each is a
 * query by id: a customer the read models have not caught up with is 503 read_model_behind. The
 * customer itself (GET v1/customers/:customerId) is the customers context's (@csp/customers).
 */
@Controller('v1/customers/:customerId')
export class CustomerReadsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('software')
  @Authorize('software.read')
  @ReadYourWrites({ byId: true })
  software(@Ctx() context: RequestContext, @Param('customerId', UuidParam) customerId: string, @Query() _query: ReadYourWritesQueryDto) {
    return this.queries.execute(new GetSoftwareListQuery(context, customerId));
  }

  @Get('orders')
  @Authorize('order.read')
  @ReadYourWrites({ byId: true })
  orders(@Ctx() context: RequestContext, @Param('customerId', UuidParam) customerId: string, @Query() _query: ReadYourWritesQueryDto) {
    return this.queries.execute(new GetOrderHistoryQuery(context, customerId));
  }
}
