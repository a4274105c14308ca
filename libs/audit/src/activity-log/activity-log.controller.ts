import { Controller, Query } from '@nestjs/common';
import { QueryBus, type QueryResult } from '@nestjs/cqrs';
import { ApiRefusals, Ctx, type Documented, type RequestContext, ReadRoute } from '@csp/http';
import { ActivityLogQueryDto } from './activity-log-query.dto';
import { ActivityLogResponse } from './activity-log.response';
import { GetActivityLogQuery } from './activity-log.query';

/** Who accessed which keys and downloaded what, for audit and compliance (SPEC §1). Its name is in the route's OpenAPI operationId. */
@Controller('v1/activity-log')
export class ActivityLogController {
  constructor(private readonly queries: QueryBus) {}

  @ReadRoute(
    '',
    'activityLog.read',
    { summary: 'List who accessed keys or downloaded software in a date range' },
    { type: ActivityLogResponse, description: "A page of the partner's key accesses in the range" },
  )
  @ApiRefusals({ 404: '`customer_not_found`: customerId names no customer of yours' })
  list(@Ctx() context: RequestContext, @Query() query: ActivityLogQueryDto): Promise<Documented<QueryResult<GetActivityLogQuery>, ActivityLogResponse>> {
    return this.queries.execute(new GetActivityLogQuery(context, query.toRange()));
  }
}
