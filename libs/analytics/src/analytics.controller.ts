import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Authorize, Ctx, CsvWhenAsked, ReadYourWrites, type RequestContext } from '@csp/http';
import type { Paged } from './analytics.handler';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { GetCancellationAnalyticsQuery } from './cancellations/cancellation-analytics.query';
import { CreditAnalyticsQueryDto } from './credits-by-group/credit-analytics.dto';
import { GetCreditAnalyticsQuery } from './credits-by-group/credit-analytics.query';
import { KeyAccessAnalyticsQueryDto } from './key-access/key-access-analytics.dto';
import { GetKeyAccessAnalyticsQuery } from './key-access/key-access-analytics.query';
import { PurchaseAnalyticsQueryDto } from './purchases/purchase-analytics.dto';
import { GetPurchaseAnalyticsQuery } from './purchases/purchase-analytics.query';

/** A question analysts ask: read-your-writes, JSON by default, its rows as CSV when asked (a page's items, else the answer). */
const Question = (path: string, rows: (answer: never) => readonly object[]) =>
  applyDecorators(Get(path), Authorize('analytics.read'), ReadYourWrites(), CsvWhenAsked(rows as (answer: unknown) => readonly object[]));
const pageRows = (answer: Paged<object>) => answer.items;
const oneRow = (answer: object) => [answer];

/**
 * Analysts' questions over the read models: credits by invoice month and partner, customer or
 * product family; purchases by SKU and market; key access per day; cancellation rate and days to
 * cancel. JSON by default, CSV with `Accept: text/csv`; lists are paged with offset and limit.
 * One controller for the four features: its name is in every route's OpenAPI operationId.
 */
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly queries: QueryBus) {}

  @Question('purchases', pageRows)
  purchases(@Ctx() context: RequestContext, @Query() query: PurchaseAnalyticsQueryDto) {
    return this.queries.execute(new GetPurchaseAnalyticsQuery(context, { ...partner(query), groupBy: query.groups() }, query.page()));
  }

  @Question('key-access', pageRows)
  keyAccess(@Ctx() context: RequestContext, @Query() query: KeyAccessAnalyticsQueryDto) {
    return this.queries.execute(new GetKeyAccessAnalyticsQuery(context, { ...partner(query), from: query.from, to: query.to }, query.page()));
  }

  @Question('cancellations', oneRow)
  cancellations(@Ctx() context: RequestContext, @Query() query: AnalyticsQueryDto) {
    return this.queries.execute(new GetCancellationAnalyticsQuery(context, partner(query)));
  }

  @Question('credits', pageRows)
  credits(@Ctx() context: RequestContext, @Query() query: CreditAnalyticsQueryDto) {
    const filter = { ...partner(query), groupBy: query.groupBy ?? 'partner', ...(query.month !== undefined ? { month: query.month } : {}) };
    return this.queries.execute(new GetCreditAnalyticsQuery(context, filter, query.page()));
  }
}

const partner = (query: AnalyticsQueryDto) => (query.partnerTenantId !== undefined ? { partnerTenantId: query.partnerTenantId } : {});
