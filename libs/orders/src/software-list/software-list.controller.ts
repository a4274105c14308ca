import { Controller, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Ctx, ReadYourWritesQueryDto, type RequestContext, UuidParam, ReadRoute } from '@csp/http';
import { GetSoftwareListQuery } from './get-software-list.query';
import { SoftwareListResponse } from './software-list.response';

/**
 * A customer's software list, from its read model (read-your-writes): a query by id, so a customer
 * the read models have not caught up with is 503 read_model_behind. The route's OpenAPI identity
 * (operationId and tag) is the one clients were generated with.
 */
@ApiTags('CustomerReads')
@Controller('v1/customers/:customerId')
export class SoftwareListController {
  constructor(private readonly queries: QueryBus) {}

  @ReadRoute(
    'software',
    'software.read',
    { operationId: 'CustomerReadsController_software', summary: "List a customer's software, with its keys, download links and cancellation eligibility" },
    { type: SoftwareListResponse, description: 'Every line the customer bought, with its keys (fingerprints only), links and cancellation eligibility now' },
    { byId: true },
  )
  software(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query() _query: ReadYourWritesQueryDto,
  ): Promise<SoftwareListResponse> {
    return this.queries.execute(new GetSoftwareListQuery(context, customerId));
  }
}
