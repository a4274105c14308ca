import { Query, type IQueryHandler } from '@nestjs/cqrs';
import { notFound } from '@csp/domain';
import { forbidden, ReadModelQueryHandler, type CommandContext } from '@csp/application';
import { scopeOf } from '@csp/security';
import { AnalyticsQueries, type AnalyticsPage, type AnalyticsScope, type Paged } from './analytics.queries';

/** The answer of one of AnalyticsQueries' questions. */
export type Answer<Q extends keyof AnalyticsQueries> = AnalyticsQueries[Q] extends (...args: never[]) => Promise<infer R> ? R : never;
/** A row of a question whose answer is a page of a list. */
export type Row<Q extends keyof AnalyticsQueries> = Answer<Q> extends Paged<infer R> ? R : never;

/** Which partner a question is about: for a partner's own admins always theirs; analysts and back office may name one. */
export interface AnalyticsFilter {
  readonly partnerTenantId?: string;
}

/** The analytics read models' answers, scoped to what the caller may see. */
export abstract class AnalyticsHandler extends ReadModelQueryHandler {
  private readonly analytics = new AnalyticsQueries(this.store);

  /** The analytics of the partner the caller may see: 403 for a customer, 404 for another partner than a partner's own. */
  protected scoped(context: CommandContext, filter: AnalyticsFilter): { analytics: AnalyticsQueries; scope: AnalyticsScope } {
    const scope = scopeOf('analytics.read', context.actor);
    if (!scope || scope.kind === 'customer') throw forbidden();
    const asked = filter.partnerTenantId;
    if (scope.kind === 'partner' && asked !== undefined && asked !== scope.partnerTenantId) throw notFound('not_found', 'No such partner');
    const partnerTenantId = scope.kind === 'partner' ? scope.partnerTenantId : asked;
    return { analytics: this.analytics, scope: partnerTenantId ? { partnerTenantId } : {} };
  }
}

/** A question whose answer is a list (question Q of AnalyticsQueries), asked for one page of it. */
export abstract class PagedAnalyticsQuery<Q extends keyof AnalyticsQueries, Filter> extends Query<Paged<Row<Q>>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter & Filter,
    readonly page: AnalyticsPage,
  ) {
    super();
  }
}

/** Answers a paged question: `ask` reads the page asked for of the rows the caller's scope sees. */
export abstract class PagedAnalyticsHandler<Q extends keyof AnalyticsQueries, Filter>
  extends AnalyticsHandler
  implements IQueryHandler<PagedAnalyticsQuery<Q, Filter>>
{
  async execute({ context, filter, page }: PagedAnalyticsQuery<Q, Filter>): Promise<Paged<Row<Q>>> {
    const { analytics, scope } = this.scoped(context, filter);
    return this.ask(analytics, scope, filter, page);
  }

  protected abstract ask(analytics: AnalyticsQueries, scope: AnalyticsScope, filter: Filter, page: AnalyticsPage): Promise<Paged<Row<Q>>>;
}
