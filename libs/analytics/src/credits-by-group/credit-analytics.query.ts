import { QueryHandler } from '@nestjs/cqrs';
import type { AnalyticsPage, AnalyticsQueries, AnalyticsScope } from '../analytics.queries';
import { PagedAnalyticsHandler, PagedAnalyticsQuery } from '../analytics.handler';

interface CreditAnalyticsFilter {
  readonly groupBy: 'partner' | 'customer' | 'family';
  readonly month?: string;
}

export class GetCreditAnalyticsQuery extends PagedAnalyticsQuery<'credits', CreditAnalyticsFilter> {}

@QueryHandler(GetCreditAnalyticsQuery)
export class GetCreditAnalyticsHandler extends PagedAnalyticsHandler<'credits', CreditAnalyticsFilter> {
  protected ask(analytics: AnalyticsQueries, scope: AnalyticsScope, filter: CreditAnalyticsFilter, page: AnalyticsPage) {
    return analytics.credits(scope, filter.groupBy, filter.month, page);
  }
}
