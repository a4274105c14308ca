import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Authorize, Ctx, ReadYourWrites, type RequestContext, toCsv } from '@csp/http';
import type { Paged } from './analytics.handler';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { GetCancellationAnalyticsQuery } from './cancellations/cancellation-analytics.query';
import { CreditAnalyticsQueryDto } from './credits-by-group/credit-analytics.dto';
import { GetCreditAnalyticsQuery } from './credits-by-group/credit-analytics.query';
import { KeyAccessAnalyticsQueryDto } from './key-access/key-access-analytics.dto';
import { GetKeyAccessAnalyticsQuery } from './key-access/key-access-analytics.query';
import { PurchaseAnalyticsQueryDto } from './purchases/purchase-analytics.dto';
import { GetPurchaseAnalyticsQuery } from './purchases/purchase-analytics.query';

/**
 * Analysts' questions over the read models: credits by invoice month and partner, customer or
 * product family; purchases by SKU and market; key access per day; cancellation rate and days to
 * cancel. JSON by default, CSV with `Accept: text/csv`; lists are paged with offset and limit.
 * One controller for the four features: its name is in every route's OpenAPI operationId.
 */
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('purchases')
  @Authorize('analytics.read')
  @ReadYourWrites()
  async purchases(
    @Ctx() context: RequestContext,
    @Query() query: PurchaseAnalyticsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.queries.execute(new GetPurchaseAnalyticsQuery(context, { ...partner(query), groupBy: query.groups() }, query.page()));
    return page(answer, accept, response);
  }

  @Get('key-access')
  @Authorize('analytics.read')
  @ReadYourWrites()
  async keyAccess(
    @Ctx() context: RequestContext,
    @Query() query: KeyAccessAnalyticsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.queries.execute(new GetKeyAccessAnalyticsQuery(context, { ...partner(query), from: query.from, to: query.to }, query.page()));
    return page(answer, accept, response);
  }

  @Get('cancellations')
  @Authorize('analytics.read')
  @ReadYourWrites()
  async cancellations(
    @Ctx() context: RequestContext,
    @Query() query: AnalyticsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.queries.execute(new GetCancellationAnalyticsQuery(context, partner(query)));
    return csvIfAsked([answer], accept, response) ?? answer;
  }

  @Get('credits')
  @Authorize('analytics.read')
  @ReadYourWrites()
  async credits(
    @Ctx() context: RequestContext,
    @Query() query: CreditAnalyticsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const filter = { ...partner(query), groupBy: query.groupBy ?? 'partner', ...(query.month !== undefined ? { month: query.month } : {}) };
    const answer = await this.queries.execute(new GetCreditAnalyticsQuery(context, filter, query.page()));
    return page(answer, accept, response);
  }
}

const partner = (query: AnalyticsQueryDto) => (query.partnerTenantId !== undefined ? { partnerTenantId: query.partnerTenantId } : {});

/** A page: its rows as CSV when asked for, else the page as JSON. */
function page<Row extends object>(answer: Paged<Row>, accept: string | undefined, response: Response) {
  return csvIfAsked(answer.items, accept, response) ?? answer;
}

/** CSV when asked for; undefined means "answer JSON". */
function csvIfAsked(rows: readonly object[], accept: string | undefined, response: Response): string | undefined {
  if (!/\btext\/csv\b/.test(accept ?? '')) return undefined;
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  return toCsv(rows as Record<string, unknown>[]);
}
