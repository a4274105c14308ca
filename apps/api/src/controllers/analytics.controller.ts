import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { READ_SIDE, ReadConsistency } from '@csp/application';
import { parseId } from '@csp/domain';
import type { ReadSide } from '@csp/projections';
import { scopeOf } from '@csp/security';
import { ApiError, badRequest } from '../http/api-error';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { toCsv } from '../http/csv';
import { minimumPosition, reportFreshness } from '../http/freshness';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

type QueryParams = Record<string, unknown>;

/**
 * Analysts' questions over the read models: credits by invoice month and partner, customer or
 * product family; purchases by SKU and market; key access per day; cancellation rate and days to
 * cancel. JSON by default, CSV with `Accept: text/csv`; lists are paged with offset and limit.
 */
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get('purchases')
  @Authorize('analytics.read')
  async purchases(@Ctx() context: RequestContext, @Query() query: QueryParams, @Headers() headers: Record<string, string | undefined>, @Res({ passthrough: true }) response: Response) {
    const q = await this.prepare(context, query, ['groupBy', 'partnerTenantId', 'offset', 'limit', 'atLeast'], headers, response);
    const groupBy = (q.groupBy ?? 'sku').split(',');
    if (groupBy.length === 0 || groupBy.some((g) => g !== 'sku' && g !== 'market') || new Set(groupBy).size !== groupBy.length) throw badRequest('groupBy', 'groupBy is sku, market or sku,market');
    return this.page(await this.readSide.analytics.purchases(q.scope, groupBy as ('sku' | 'market')[]), q, headers, response);
  }

  @Get('key-access')
  @Authorize('analytics.read')
  async keyAccess(@Ctx() context: RequestContext, @Query() query: QueryParams, @Headers() headers: Record<string, string | undefined>, @Res({ passthrough: true }) response: Response) {
    const q = await this.prepare(context, query, ['from', 'to', 'partnerTenantId', 'offset', 'limit', 'atLeast'], headers, response);
    if (!q.from || !DAY.test(q.from)) throw badRequest('from', 'from (YYYY-MM-DD) is required');
    if (!q.to || !DAY.test(q.to)) throw badRequest('to', 'to (YYYY-MM-DD) is required');
    if (q.from > q.to) throw badRequest('from', 'from must not be after to');
    return this.page(await this.readSide.analytics.keyAccessPerDay(q.scope, q.from, q.to), q, headers, response);
  }

  @Get('cancellations')
  @Authorize('analytics.read')
  async cancellations(@Ctx() context: RequestContext, @Query() query: QueryParams, @Headers() headers: Record<string, string | undefined>, @Res({ passthrough: true }) response: Response) {
    const q = await this.prepare(context, query, ['partnerTenantId', 'atLeast'], headers, response);
    const answer = await this.readSide.analytics.cancellations(q.scope);
    return this.respond([answer], headers, response) ?? answer;
  }

  @Get('credits')
  @Authorize('analytics.read')
  async credits(@Ctx() context: RequestContext, @Query() query: QueryParams, @Headers() headers: Record<string, string | undefined>, @Res({ passthrough: true }) response: Response) {
    const q = await this.prepare(context, query, ['groupBy', 'month', 'partnerTenantId', 'offset', 'limit', 'atLeast'], headers, response);
    const groupBy = q.groupBy ?? 'partner';
    if (groupBy !== 'partner' && groupBy !== 'customer' && groupBy !== 'family') throw badRequest('groupBy', 'groupBy is partner, customer or family');
    if (q.month !== undefined && !MONTH.test(q.month)) throw badRequest('month', 'month must be YYYY-MM');
    return this.page(await this.readSide.analytics.credits(q.scope, groupBy, q.month), q, headers, response);
  }

  /** Validates the query, scopes it to what the caller may see, and waits for read-your-writes. */
  private async prepare(
    context: RequestContext,
    query: QueryParams,
    allowed: string[],
    headers: Record<string, string | undefined>,
    response: Response,
  ): Promise<{ groupBy?: string; month?: string; from?: string; to?: string; offset: number; limit: number; scope: { partnerTenantId?: string } }> {
    const unknown = Object.keys(query).find((k) => !allowed.includes(k));
    if (unknown) throw badRequest(unknown, `Unknown query parameter "${unknown}"`);
    for (const [name, value] of Object.entries(query)) if (typeof value !== 'string') throw badRequest(name, `${name} must be given once`);
    const q = query as Record<string, string | undefined>;
    const asked = q.partnerTenantId !== undefined ? parseId(q.partnerTenantId) : undefined;
    if (q.partnerTenantId !== undefined && !asked) throw badRequest('partnerTenantId', 'partnerTenantId must be a tenant id');
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('offset', 'offset must be a whole number ≥ 0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit', 'limit must be a whole number from 1 to 1000');
    const scope = scopeOf('analytics.read', context.actor);
    if (!scope || scope.kind === 'customer') throw new ApiError(403, 'forbidden', 'Your role may not perform this action');
    const partnerTenantId = scope.kind === 'partner' ? scope.partnerTenantId : asked;
    if (scope.kind === 'partner' && asked !== undefined && asked !== scope.partnerTenantId) {
      throw new ApiError(404, 'not_found', 'No such partner');
    }
    reportFreshness(response, await this.consistency.ensure(minimumPosition(q.atLeast, headers['x-min-position'])));
    return { groupBy: q.groupBy, month: q.month, from: q.from, to: q.to, offset, limit, scope: partnerTenantId ? { partnerTenantId } : {} };
  }

  private page<T extends object>(rows: T[], q: { offset: number; limit: number }, headers: Record<string, string | undefined>, response: Response) {
    const items = rows.slice(q.offset, q.offset + q.limit);
    return this.respond(items as Record<string, unknown>[], headers, response) ?? { items, total: rows.length, offset: q.offset, limit: q.limit };
  }

  /** CSV when asked for; undefined means "answer JSON". */
  private respond(rows: Record<string, unknown>[], headers: Record<string, string | undefined>, response: Response): string | undefined {
    if (!/\btext\/csv\b/.test(headers.accept ?? '')) return undefined;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    return toCsv(rows);
  }
}
