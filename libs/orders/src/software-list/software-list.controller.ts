import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, Ctx, ReadYourWrites, ReadYourWritesQueryDto, type RequestContext, UuidParam } from '@csp/http';
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

  @Get('software')
  @ApiOperation({
    operationId: 'CustomerReadsController_software',
    summary: "List a customer's software, with its keys, download links and cancellation eligibility",
  })
  @Authorize('software.read')
  // Above @ReadYourWrites, so applied after it: its 200 (the read-model headers, no schema) merged with this one keeps both.
  @ApiOkResponse({
    type: SoftwareListResponse,
    description: 'Every line the customer bought, with its keys (fingerprints only), links and cancellation eligibility now',
  })
  @ReadYourWrites({ byId: true })
  software(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query() _query: ReadYourWritesQueryDto,
  ): Promise<SoftwareListResponse> {
    return this.queries.execute(new GetSoftwareListQuery(context, customerId));
  }
}
