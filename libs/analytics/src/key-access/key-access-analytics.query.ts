import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommandContext } from '@csp/application';
import { AnalyticsHandler, paged, type AnalyticsFilter, type AnalyticsPage, type Answer, type Paged } from '../analytics.handler';

export class GetKeyAccessAnalyticsQuery extends Query<Paged<Answer<'keyAccessPerDay'>[number]>> {
  constructor(
    readonly context: CommandContext,
    /** UTC days, YYYY-MM-DD, inclusive. */
    readonly filter: AnalyticsFilter & { readonly from: string; readonly to: string },
    readonly page: AnalyticsPage,
  ) {
    super();
  }
}

@QueryHandler(GetKeyAccessAnalyticsQuery)
export class GetKeyAccessAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetKeyAccessAnalyticsQuery> {
  async execute({ context, filter, page }: GetKeyAccessAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return paged(await analytics.keyAccessPerDay(scope, filter.from, filter.to), page);
  }
}
