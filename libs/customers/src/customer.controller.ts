import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, Ctx, ReadYourWrites, ReadYourWritesQueryDto, type RequestContext, UuidParam } from '@csp/http';
import { GetCustomerQuery } from './get-customer/get-customer.query';

/**
 * A customer, from the read model (read-your-writes). A query by id: a customer the read model has
 * not caught up with is 503 read_model_behind. The route was CustomerReadsController's, with the
 * customer's software list and order history: it keeps that controller's OpenAPI tag and
 * operationId, which clients may have generated code from.
 */
@Controller('v1/customers/:customerId')
@ApiTags('CustomerReads')
export class CustomerController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Authorize('customer.read')
  @ReadYourWrites({ byId: true })
  // ApiOperation writes an empty summary unless it is told there is none: the route had none.
  @ApiOperation({ operationId: 'CustomerReadsController_customer', summary: undefined })
  customer(@Ctx() context: RequestContext, @Param('customerId', UuidParam) customerId: string, @Query() _query: ReadYourWritesQueryDto) {
    return this.queries.execute(new GetCustomerQuery(context, customerId));
  }
}
