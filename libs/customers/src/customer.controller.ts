import { Controller, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Ctx, ReadYourWritesQueryDto, type RequestContext, UuidParam, ReadRoute } from '@csp/http';
import { GetCustomerQuery } from './get-customer/get-customer.query';
import { CustomerResponse } from './get-customer/get-customer.response';

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

  @ReadRoute(
    '',
    'customer.read',
    { operationId: 'CustomerReadsController_customer', summary: 'Get a customer' },
    { type: CustomerResponse, description: 'The customer' },
    { byId: true },
  )
  customer(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query() _query: ReadYourWritesQueryDto,
  ): Promise<CustomerResponse> {
    return this.queries.execute(new GetCustomerQuery(context, customerId));
  }
}
