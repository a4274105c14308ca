import { Inject } from '@nestjs/common';
import { DomainError, notFound } from '@csp/domain';
import type { ReadSide } from '@csp/projections';
import { READ_SIDE, type CommandContext } from '@csp/application';
import { scopeOf } from '@csp/security';
import { AnalyticsQueries } from './analytics.queries';

/** The answer of one of AnalyticsQueries' questions. */
export type Answer<Q extends keyof AnalyticsQueries> = AnalyticsQueries[Q] extends (...args: never[]) => Promise<infer R> ? R : never;

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

/** The analytics read models' answers, scoped to what the caller may see. */
export abstract class AnalyticsHandler {
  private readonly analytics: AnalyticsQueries;

  constructor(@Inject(READ_SIDE) readSide: ReadSide) {
    this.analytics = new AnalyticsQueries(readSide.store);
  }

  /** The analytics of the partner the caller may see: 403 for a customer, 404 for another partner than a partner's own. */
  protected scoped(context: CommandContext, filter: AnalyticsFilter): { analytics: AnalyticsQueries; scope: { partnerTenantId?: string } } {
    const scope = scopeOf('analytics.read', context.actor);
    if (!scope || scope.kind === 'customer') throw new DomainError('forbidden', 'forbidden', 'Your role may not perform this action');
    const asked = filter.partnerTenantId;
    if (scope.kind === 'partner' && asked !== undefined && asked !== scope.partnerTenantId) throw notFound('not_found', 'No such partner');
    const partnerTenantId = scope.kind === 'partner' ? scope.partnerTenantId : asked;
    return { analytics: this.analytics, scope: partnerTenantId ? { partnerTenantId } : {} };
  }
}

export const paged = <Row>(rows: Row[], { offset, limit }: AnalyticsPage): Paged<Row> => ({
  items: rows.slice(offset, offset + limit),
  total: rows.length,
  offset,
  limit,
});
