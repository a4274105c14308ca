import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { decodeActivityCursor, GetActivityLogQuery, ReadConsistency } from '@csp/application';
import { parseId, parseInstantRange } from '@csp/domain';
import { badRequest } from '../http/api-error';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { minimumPosition, reportFreshness } from '../http/freshness';

/** Who accessed which keys and downloaded what, for audit and compliance (SPEC §1). */
@Controller('v1/activity-log')
export class ActivityLogController {
  constructor(
    private readonly queries: QueryBus,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @Authorize('activityLog.read')
  async list(
    @Ctx() context: RequestContext,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const allowed = ['from', 'to', 'customerId', 'cursor', 'limit', 'atLeast'];
    const unknown = Object.keys(query).find((k) => !allowed.includes(k));
    if (unknown) throw badRequest(unknown, `Unknown query parameter "${unknown}"`);
    const text = (name: string) => {
      const value = query[name];
      if (value !== undefined && typeof value !== 'string') throw badRequest(name, `${name} must be given once`);
      return value as string | undefined;
    };
    const range = parseInstantRange(text('from'), text('to'));
    if ('problem' in range) {
      const { field, problem } = range;
      throw badRequest(field, problem === 'missing' ? `${field} (ISO-8601 date or instant) is required` : problem === 'malformed' ? `${field} must be an ISO-8601 date or instant` : 'from must not be after to');
    }
    const customerText = text('customerId');
    const customerId = customerText !== undefined ? parseId(customerText) : undefined;
    if (customerText !== undefined && !customerId) throw badRequest('customerId', 'customerId must be a customer id');
    const cursorText = text('cursor');
    const cursor = cursorText !== undefined ? decodeActivityCursor(cursorText) : undefined;
    if (cursorText !== undefined && !cursor) throw badRequest('cursor', 'cursor must be a nextCursor returned by this route');
    const limitText = text('limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!/^\d+$/.test(limitText ?? '100') || limit < 1 || limit > 1000) throw badRequest('limit', 'limit must be a whole number from 1 to 1000');
    reportFreshness(response, await this.consistency.ensure(minimumPosition(text('atLeast'), header)));
    return this.queries.execute(
      new GetActivityLogQuery(context, {
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        limit,
        ...(customerId ? { customerId } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    );
  }
}
