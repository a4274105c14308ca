import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError, notFound } from '@csp/domain';
import type { AnalyticsQueries, ReadSide } from '@csp/projections';
import { scopeOf } from '@csp/security';
import type { CommandContext } from '../context';
import { READ_SIDE } from '../tokens';

type Answer<Q extends keyof AnalyticsQueries> = AnalyticsQueries[Q] extends (...args: never[]) => Promise<infer R> ? R : never;

/** Which partner a question is about: for a partner's own admins always theirs; analysts and back office may name one. */
export interface AnalyticsFilter {
  readonly partnerTenantId?: string;
}

/** Which rows of a list: `offset` from 0, `limit` rows. */
export interface AnalyticsPage {
  readonly offset: number;
  readonly limit: number;
}

export interface Paged<Row> {
  readonly items: Row[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export class GetPurchaseAnalyticsQuery extends Query<Paged<Answer<'purchases'>[number]>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter & { readonly groupBy: readonly ('sku' | 'market')[] },
    readonly page: AnalyticsPage,
  ) {
    super();
  }
}

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

export class GetCancellationAnalyticsQuery extends Query<Answer<'cancellations'>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter,
  ) {
    super();
  }
}

export class GetCreditAnalyticsQuery extends Query<Paged<Answer<'credits'>[number]>> {
  constructor(
    readonly context: CommandContext,
    readonly filter: AnalyticsFilter & { readonly groupBy: 'partner' | 'customer' | 'family'; readonly month?: string },
    readonly page: AnalyticsPage,
  ) {
    super();
  }
}

/** The analytics read models' answers, scoped to what the caller may see. */
abstract class AnalyticsHandler {
  constructor(@Inject(READ_SIDE) private readonly readSide: ReadSide) {}

  /** The analytics of the partner the caller may see: 403 for a customer, 404 for another partner than a partner's own. */
  protected scoped(context: CommandContext, filter: AnalyticsFilter): { analytics: AnalyticsQueries; scope: { partnerTenantId?: string } } {
    const scope = scopeOf('analytics.read', context.actor);
    if (!scope || scope.kind === 'customer') throw new DomainError('forbidden', 'forbidden', 'Your role may not perform this action');
    const asked = filter.partnerTenantId;
    if (scope.kind === 'partner' && asked !== undefined && asked !== scope.partnerTenantId) throw notFound('not_found', 'No such partner');
    const partnerTenantId = scope.kind === 'partner' ? scope.partnerTenantId : asked;
    return { analytics: this.readSide.analytics, scope: partnerTenantId ? { partnerTenantId } : {} };
  }
}

const paged = <Row>(rows: Row[], { offset, limit }: AnalyticsPage): Paged<Row> => ({
  items: rows.slice(offset, offset + limit),
  total: rows.length,
  offset,
  limit,
});

@QueryHandler(GetPurchaseAnalyticsQuery)
export class GetPurchaseAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetPurchaseAnalyticsQuery> {
  async execute({ context, filter, page }: GetPurchaseAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return paged(await analytics.purchases(scope, filter.groupBy), page);
  }
}

@QueryHandler(GetKeyAccessAnalyticsQuery)
export class GetKeyAccessAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetKeyAccessAnalyticsQuery> {
  async execute({ context, filter, page }: GetKeyAccessAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return paged(await analytics.keyAccessPerDay(scope, filter.from, filter.to), page);
  }
}

@QueryHandler(GetCancellationAnalyticsQuery)
export class GetCancellationAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetCancellationAnalyticsQuery> {
  async execute({ context, filter }: GetCancellationAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return analytics.cancellations(scope);
  }
}

@QueryHandler(GetCreditAnalyticsQuery)
export class GetCreditAnalyticsHandler extends AnalyticsHandler implements IQueryHandler<GetCreditAnalyticsQuery> {
  async execute({ context, filter, page }: GetCreditAnalyticsQuery) {
    const { analytics, scope } = this.scoped(context, filter);
    return paged(await analytics.credits(scope, filter.groupBy, filter.month), page);
  }
}
