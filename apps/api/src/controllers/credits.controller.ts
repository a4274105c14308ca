import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetCreditsQuery } from '@csp/application';
import { CreditsQueryDto } from '../dto/query.dto';
import { Authorize, Ctx, ReadYourWrites, type RequestContext } from '@csp/http';

/** Credits from cancellations and approved refund requests, by invoice month. */
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
