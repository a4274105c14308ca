import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { answerById, GetCustomerQuery, GetOrderHistoryQuery, GetSoftwareListQuery, ReadConsistency } from '@csp/application';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { minimumPosition, reportFreshness } from '../http/freshness';
import { UuidParam } from '../http/uuid-param.pipe';

/** A customer's software list and order history, from the read models (read-your-writes). */
@Controller('v1/customers/:customerId')
export class CustomerReadsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly consistency: ReadConsistency,
  ) {}

  /** Read-your-writes, then the query by id: 503 read_model_behind instead of a 404 it cannot know. */
  private async byId<T>(response: Response, atLeast: string | undefined, header: string | undefined, query: () => Promise<T>): Promise<T> {
    const freshness = await this.consistency.ensure(minimumPosition(atLeast, header));
    reportFreshness(response, freshness);
    return answerById(freshness, query);
  }

  @Get()
  @Authorize('customer.read')
  async customer(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query('atLeast') atLeast: string | undefined,
    @Headers('x-min-position') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.byId(response, atLeast, header, () => this.queries.execute(new GetCustomerQuery(context, customerId)));
  }

  @Get('software')
  @Authorize('software.read')
  async software(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query('atLeast') atLeast: string | undefined,
    @Headers('x-min-position') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.byId(response, atLeast, header, () => this.queries.execute(new GetSoftwareListQuery(context, customerId)));
  }

  @Get('orders')
  @Authorize('order.read')
  async orders(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Query('atLeast') atLeast: string | undefined,
    @Headers('x-min-position') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.byId(response, atLeast, header, () => this.queries.execute(new GetOrderHistoryQuery(context, customerId)));
  }
}
