import { applyDecorators, Controller, Query, type Type } from '@nestjs/common';
import { QueryBus, type QueryResult } from '@nestjs/cqrs';
import { ApiRefusals, Ctx, CsvWhenAsked, type Documented, type RequestContext, ReadRoute } from '@csp/http';
import type { Paged } from './analytics.queries';
import { AnalyticsQueryDto } from './analytics-query.dto';
import { GetCancellationAnalyticsQuery } from './cancellations/cancellation-analytics.query';
import { CancellationAnalyticsResponse } from './cancellations/cancellation-analytics.response';
import { CreditAnalyticsQueryDto } from './credits-by-group/credit-analytics.dto';
import { GetCreditAnalyticsQuery } from './credits-by-group/credit-analytics.query';
import { CreditAnalyticsResponse } from './credits-by-group/credit-analytics.response';
import { KeyAccessAnalyticsQueryDto } from './key-access/key-access-analytics.dto';
import { GetKeyAccessAnalyticsQuery } from './key-access/key-access-analytics.query';
import { KeyAccessAnalyticsResponse } from './key-access/key-access-analytics.response';
import { PurchaseAnalyticsQueryDto } from './purchases/purchase-analytics.dto';
import { GetPurchaseAnalyticsQuery } from './purchases/purchase-analytics.query';
import { PurchaseAnalyticsResponse } from './purchases/purchase-analytics.response';

/**
 * A question analysts ask, with its summary: read-your-writes, JSON by default (documented by its
 * response class), its rows as CSV when asked (a page's items, else the answer). The JSON answer is
 * documented last, so that it is not overwritten by read-your-writes' own description of the 200.
 */
const Question = (path: string, summary: string, rows: (answer: never) => readonly object[], answer: Type, description: string) =>
  applyDecorators(
    // A partner's own roles asking about another partner (partnerTenantId) are told there is no such partner.
    ApiRefusals({ 404: '`not_found`: no such partner of yours (partnerTenantId names another partner)' }),
    CsvWhenAsked(rows as (answer: unknown) => readonly object[]),
    ReadRoute(path, 'analytics.read', { summary }, { type: answer, description }),
  );
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

  @Question(
    'purchases',
    'Count purchases by SKU, market or both',
    pageRows,
    PurchaseAnalyticsResponse,
    'A page of the purchases, grouped by SKU, market, or both',
  )
  purchases(
    @Ctx() context: RequestContext,
    @Query() query: PurchaseAnalyticsQueryDto,
  ): Promise<Documented<QueryResult<GetPurchaseAnalyticsQuery>, PurchaseAnalyticsResponse>> {
    return this.queries.execute(new GetPurchaseAnalyticsQuery(context, { ...partner(query), groupBy: query.groups() }, query.page()));
  }

  @Question(
    'key-access',
    'Count key accesses per day in a date range',
    pageRows,
    KeyAccessAnalyticsResponse,
    'A page of the days of the range with key access, and their counts',
  )
  keyAccess(
    @Ctx() context: RequestContext,
    @Query() query: KeyAccessAnalyticsQueryDto,
  ): Promise<Documented<QueryResult<GetKeyAccessAnalyticsQuery>, KeyAccessAnalyticsResponse>> {
    return this.queries.execute(new GetKeyAccessAnalyticsQuery(context, { ...partner(query), from: query.from, to: query.to }, query.page()));
  }

  @Question(
    'cancellations',
    'Measure the cancellation rate and the average days to cancel',
    oneRow,
    CancellationAnalyticsResponse,
    'The cancellation rate and the average days to cancel (CSV: one row)',
  )
  cancellations(
    @Ctx() context: RequestContext,
    @Query() query: AnalyticsQueryDto,
  ): Promise<Documented<QueryResult<GetCancellationAnalyticsQuery>, CancellationAnalyticsResponse>> {
    return this.queries.execute(new GetCancellationAnalyticsQuery(context, partner(query)));
  }

  @Question(
    'credits',
    'Total the credits by invoice month and partner, customer or product family',
    pageRows,
    CreditAnalyticsResponse,
    'A page of the credits, by invoice month and partner, customer or product family',
  )
  credits(
    @Ctx() context: RequestContext,
    @Query() query: CreditAnalyticsQueryDto,
  ): Promise<Documented<QueryResult<GetCreditAnalyticsQuery>, CreditAnalyticsResponse>> {
    const filter = { ...partner(query), groupBy: query.groupBy ?? 'partner', ...(query.month !== undefined ? { month: query.month } : {}) };
    return this.queries.execute(new GetCreditAnalyticsQuery(context, filter, query.page()));
  }
}

const partner = (query: AnalyticsQueryDto) => (query.partnerTenantId !== undefined ? { partnerTenantId: query.partnerTenantId } : {});
