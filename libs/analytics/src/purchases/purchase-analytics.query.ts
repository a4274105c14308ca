import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommandContext } from '@csp/application';
import { AnalyticsHandler, paged, type AnalyticsFilter, type AnalyticsPage, type Answer, type Paged } from '../analytics.handler';

export class GetPurchaseAnalyticsQuery extends Query<Paged<Answer<'purchases'>[number]>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter & { readonly groupBy: readonly ('sku' | 'market')[] },
    readonly page: AnalyticsPage,
  ) {
    super();
  }
}

@QueryHandler(GetPurchaseAnalyticsQuery)
export class GetPurchaseAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetPurchaseAnalyticsQuery> {
  async execute({ context, filter, page }: GetPurchaseAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return paged(await analytics.purchases(scope, filter.groupBy), page);
  }
}
