import { QueryHandler } from '@nestjs/cqrs';
import type { AnalyticsPage, AnalyticsQueries, AnalyticsScope } from '../analytics.queries';
import { PagedAnalyticsHandler, PagedAnalyticsQuery } from '../analytics.handler';

/** UTC days, YYYY-MM-DD, inclusive. */
interface KeyAccessAnalyticsFilter {
  readonly from: string;
  readonly to: string;
}

export class GetKeyAccessAnalyticsQuery extends PagedAnalyticsQuery<'keyAccessPerDay', KeyAccessAnalyticsFilter> {}

@QueryHandler(GetKeyAccessAnalyticsQuery)
export class GetKeyAccessAnalyticsHandler extends PagedAnalyticsHandler<'keyAccessPerDay', KeyAccessAnalyticsFilter> {
  protected ask(analytics: AnalyticsQueries, scope: AnalyticsScope, filter: KeyAccessAnalyticsFilter, page: AnalyticsPage) {
    return analytics.keyAccessPerDay(scope, filter.from, filter.to, page);
  }
}
