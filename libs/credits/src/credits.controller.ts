import { Controller, Query } from '@nestjs/common';
import { QueryBus, type QueryResult } from '@nestjs/cqrs';
import { Ctx, type Documented, type RequestContext, ReadRoute } from '@csp/http';
import { CreditsQueryDto } from './list/credits-query.dto';
import { CreditsResponse } from './list/credits.response';
import { GetCreditsQuery } from './list/credits.query';

/** Credits from cancellations and approved refund requests, by invoice month. Its name is in the route's OpenAPI operationId. */
@Controller('v1/credits')
export class CreditsController {
  constructor(private readonly queries: QueryBus) {}

  @ReadRoute(
    '',
    'credits.read',
    { summary: 'List credits by invoice month, with their totals per currency' },
    {
      type: CreditsResponse,
      description:
        'A page of the credits selected (a partner role: its own partner only), by invoice month then credit id, with the totals per currency of the whole selection',
    },
  )
  list(@Ctx() context: RequestContext, @Query() query: CreditsQueryDto): Promise<Documented<QueryResult<GetCreditsQuery>, CreditsResponse>> {
    const { month, customerId, partnerTenantId } = query;
    return this.queries.execute(
      new GetCreditsQuery(
        context,
        {
          ...(month ? { month } : {}),
          ...(customerId ? { customerId } : {}),
          ...(partnerTenantId ? { partnerTenantId } : {}),
        },
        query.page(),
      ),
    );
  }
}
