import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { GetCreditsQuery, ReadConsistency } from '@csp/application';
import { parseId } from '@csp/domain';
import { badRequest } from '../http/api-error';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { minimumPosition, reportFreshness } from '../http/freshness';

/** Credits from cancellations and approved refund requests, by invoice month. */
@Controller('v1/credits')
export class CreditsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @Authorize('credits.read')
  async list(
    @Ctx() context: RequestContext,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const allowed = ['month', 'customerId', 'partnerTenantId', 'atLeast'];
    const unknown = Object.keys(query).find((k) => !allowed.includes(k));
    if (unknown) throw badRequest(unknown, `Unknown query parameter "${unknown}"`);
    for (const [name, value] of Object.entries(query)) if (typeof value !== 'string') throw badRequest(name, `${name} must be given once`);
    const { month, atLeast, ...ids } = query as Record<string, string | undefined>;
    if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw badRequest('month', 'month must be YYYY-MM');
    const customerId = ids.customerId !== undefined ? parseId(ids.customerId) : undefined;
    if (ids.customerId !== undefined && !customerId) throw badRequest('customerId', 'customerId must be a customer id');
    const partnerTenantId = ids.partnerTenantId !== undefined ? parseId(ids.partnerTenantId) : undefined;
    if (ids.partnerTenantId !== undefined && !partnerTenantId) throw badRequest('partnerTenantId', 'partnerTenantId must be a tenant id');
    reportFreshness(response, await this.consistency.ensure(minimumPosition(atLeast, header)));
    return this.queries.execute(
      new GetCreditsQuery(context, {
        ...(month ? { month } : {}),
        ...(customerId ? { customerId } : {}),
        ...(partnerTenantId ? { partnerTenantId } : {}),
      }),
    );
  }
}
