import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, Ctx, ReadYourWrites, ReadYourWritesQueryDto, type RequestContext, UuidParam } from '@csp/http';
import { GetSoftwareListQuery } from './get-software-list.query';

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
  @ApiOperation({ operationId: 'CustomerReadsController_software', summary: undefined })
  @Authorize('software.read')
  @ReadYourWrites({ byId: true })
  software(@Ctx() context: RequestContext, @Param('customerId', UuidParam) customerId: string, @Query() _query: ReadYourWritesQueryDto) {
    return this.queries.execute(new GetSoftwareListQuery(context, customerId));
  }
}
