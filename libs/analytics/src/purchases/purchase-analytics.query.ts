import { QueryHandler } from '@nestjs/cqrs';
import type { AnalyticsQueries } from '../analytics.queries';
import { PagedAnalyticsHandler, PagedAnalyticsQuery, type AnalyticsScope } from '../analytics.handler';

interface PurchaseAnalyticsFilter {
  readonly groupBy: readonly ('sku' | 'market')[];
}

export class GetPurchaseAnalyticsQuery extends PagedAnalyticsQuery<'purchases', PurchaseAnalyticsFilter> {}

@QueryHandler(GetPurchaseAnalyticsQuery)
export class GetPurchaseAnalyticsHandler extends PagedAnalyticsHandler<'purchases', PurchaseAnalyticsFilter> {
  protected ask(analytics: AnalyticsQueries, scope: AnalyticsScope, filter: PurchaseAnalyticsFilter) {
    return analytics.purchases(scope, filter.groupBy);
  }
}
