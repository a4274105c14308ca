import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommandContext } from '@csp/application';
import { AnalyticsHandler, type AnalyticsFilter, type Answer } from '../analytics.handler';

export class GetCancellationAnalyticsQuery extends Query<Answer<'cancellations'>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter,
  ) {
    super();
  }
}

@QueryHandler(GetCancellationAnalyticsQuery)
export class GetCancellationAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetCancellationAnalyticsQuery> {
  async execute({ context, filter }: GetCancellationAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return analytics.cancellations(scope);
  }
}
