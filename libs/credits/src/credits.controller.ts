import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Authorize, Ctx, ReadYourWrites, type RequestContext } from '@csp/http';
import { CreditsQueryDto } from './list/credits-query.dto';
import { GetCreditsQuery } from './list/credits.query';

/** Credits from cancellations and approved refund requests, by invoice month. Its name is in the route's OpenAPI operationId. */
@Controller('v1/credits')
export class CreditsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Authorize('credits.read')
  @ReadYourWrites()
  list(@Ctx() context: RequestContext, @Query() { month, customerId, partnerTenantId }: CreditsQueryDto) {
    return this.queries.execute(
      new GetCreditsQuery(context, {
        ...(month ? { month } : {}),
        ...(customerId ? { customerId } : {}),
        ...(partnerTenantId ? { partnerTenantId } : {}),
      }),
    );
  }
}
