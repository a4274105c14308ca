import { QueryHandler } from '@nestjs/cqrs';
import type { AnalyticsPage, AnalyticsQueries, AnalyticsScope } from '../analytics.queries';
import { PagedAnalyticsHandler, PagedAnalyticsQuery } from '../analytics.handler';

interface PurchaseAnalyticsFilter {
  readonly groupBy: readonly ('sku' | 'market')[];
}

export class GetPurchaseAnalyticsQuery extends PagedAnalyticsQuery<'purchases', PurchaseAnalyticsFilter> {}

@QueryHandler(GetPurchaseAnalyticsQuery)
export class GetPurchaseAnalyticsHandler extends PagedAnalyticsHandler<'purchases', PurchaseAnalyticsFilter> {
  protected ask(analytics: AnalyticsQueries, scope: AnalyticsScope, filter: PurchaseAnalyticsFilter, page: AnalyticsPage) {
    return analytics.purchases(scope, filter.groupBy, page);
  }
}
