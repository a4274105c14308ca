import { QueryHandler } from '@nestjs/cqrs';
import type { AnalyticsQueries } from '../analytics.queries';
import { PagedAnalyticsHandler, PagedAnalyticsQuery, type AnalyticsScope } from '../analytics.handler';

/** UTC days, YYYY-MM-DD, inclusive. */
interface KeyAccessAnalyticsFilter {
  readonly from: string;
  readonly to: string;
}

export class GetKeyAccessAnalyticsQuery extends PagedAnalyticsQuery<'keyAccessPerDay', KeyAccessAnalyticsFilter> {}

@QueryHandler(GetKeyAccessAnalyticsQuery)
export class GetKeyAccessAnalyticsHandler extends PagedAnalyticsHandler<'keyAccessPerDay', KeyAccessAnalyticsFilter> {
  protected ask(analytics: AnalyticsQueries, scope: AnalyticsScope, filter: KeyAccessAnalyticsFilter) {
    return analytics.keyAccessPerDay(scope, filter.from, filter.to);
  }
}
