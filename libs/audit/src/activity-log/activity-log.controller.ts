import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Authorize, Ctx, ReadYourWrites, type RequestContext } from '@csp/http';
import { ActivityLogQueryDto } from './activity-log-query.dto';
import { GetActivityLogQuery } from './activity-log.query';

/** Who accessed which keys and downloaded what, for audit and compliance (SPEC §1). Its name is in the route's OpenAPI operationId. */
@Controller('v1/activity-log')
export class ActivityLogController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Authorize('activityLog.read')
  @ReadYourWrites()
  list(@Ctx() context: RequestContext, @Query() query: ActivityLogQueryDto) {
    return this.queries.execute(new GetActivityLogQuery(context, query.toRange()));
  }
}
