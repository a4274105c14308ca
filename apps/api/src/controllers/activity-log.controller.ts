import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { decodeActivityCursor, GetActivityLogQuery, ReadConsistency } from '@csp/application';
import { parseInstant } from '@csp/config';
import { badRequest } from '../http/api-error';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { minimumPosition, reportFreshness } from '../http/freshness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

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
    const fromText = text('from');
    const toText = text('to');
    if (!fromText) throw badRequest('from', 'from (ISO-8601 date or instant) is required');
    if (!toText) throw badRequest('to', 'to (ISO-8601 date or instant) is required');
    const from = parseInstant(fromText);
    if (!from) throw badRequest('from', 'from must be an ISO-8601 date or instant');
    const toStart = parseInstant(toText);
    if (!toStart) throw badRequest('to', 'to must be an ISO-8601 date or instant');
    // A date alone as `to` means the whole of that day.
    const to = DATE_ONLY.test(toText) ? new Date(toStart.getTime() + 86_400_000 - 1) : toStart;
    if (from > to) throw badRequest('from', 'from must not be after to');
    const customerId = text('customerId');
    if (customerId !== undefined && !UUID.test(customerId)) throw badRequest('customerId', 'customerId must be a customer id');
    const cursorText = text('cursor');
    const cursor = cursorText !== undefined ? decodeActivityCursor(cursorText) : undefined;
    if (cursorText !== undefined && !cursor) throw badRequest('cursor', 'cursor must be a nextCursor returned by this route');
    const limitText = text('limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!/^\d+$/.test(limitText ?? '100') || limit < 1 || limit > 1000) throw badRequest('limit', 'limit must be a whole number from 1 to 1000');
    reportFreshness(response, await this.consistency.ensure(minimumPosition(text('atLeast'), header)));
    return this.queries.execute(
      new GetActivityLogQuery(context, {
        from: from.toISOString(),
        to: to.toISOString(),
        limit,
        ...(customerId ? { customerId: customerId.toLowerCase() } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    );
  }
}
