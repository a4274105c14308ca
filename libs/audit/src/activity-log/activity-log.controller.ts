import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetActivityLogQuery } from '@csp/application';
import { ActivityLogQueryDto } from '../dto/query.dto';
import { Authorize, Ctx, ReadYourWrites, type RequestContext } from '@csp/http';

/** Who accessed which keys and downloaded what, for audit and compliance (SPEC §1). */
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
