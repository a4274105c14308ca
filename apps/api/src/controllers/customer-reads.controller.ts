import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetCustomerQuery } from '@csp/application';
import { Authorize, Ctx, ReadYourWrites, ReadYourWritesQueryDto, type RequestContext, UuidParam } from '@csp/http';

/**
 * A customer, its software list and order history, from the read models (read-your-writes). Each
 * is a query by id: a customer the read models have not caught up with is 503 read_model_behind.
 */
@Controller('v1/customers/:customerId')
export class CustomerReadsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Authorize('customer.read')
  @ReadYourWrites({ byId: true })
  customer(@Ctx() context: RequestContext, @Param('customerId', UuidParam) customerId: string, @Query() _query: ReadYourWritesQueryDto) {
    return this.queries.execute(new GetCustomerQuery(context, customerId));
  }
}
