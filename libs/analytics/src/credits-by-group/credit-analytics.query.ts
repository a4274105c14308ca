import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommandContext } from '@csp/application';
import { AnalyticsHandler, paged, type AnalyticsFilter, type AnalyticsPage, type Answer, type Paged } from '../analytics.handler';

export class GetCreditAnalyticsQuery extends Query<Paged<Answer<'credits'>[number]>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter & { readonly groupBy: 'partner' | 'customer' | 'family'; readonly month?: string },
    readonly page: AnalyticsPage,
  ) {
    super();
  }
}

@QueryHandler(GetCreditAnalyticsQuery)
export class GetCreditAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetCreditAnalyticsQuery> {
  async execute({ context, filter, page }: GetCreditAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return paged(await analytics.credits(scope, filter.groupBy, filter.month), page);
  }
}
