import { applyDecorators, Injectable, SetMetadata, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { answerById, ReadConsistency, type Freshness } from '@csp/application';
import { parsePosition, type Position } from '@csp/event-store';
import { badRequest } from './api-error';

export interface ReadYourWritesOptions {
  /**
   * A query by id: a "not found" from a read model that had not reached the position is 503
   * read_model_behind with Retry-After, not a 404 it cannot know (answerById, SPEC §2).
   */
  readonly byId?: boolean;
}

const READ_YOUR_WRITES = 'csp:read-your-writes';

/**
 * A query over the read models that reads its caller's writes: before the route runs it waits,
 * within a bound, until the read models have applied the position named by `?atLeast=` or the
 * `X-Min-Position` header (by default everything committed when the query arrived), and the answer
 * says what it reflects: `X-Read-Model-Position`, and `X-Read-Model-Stale: true` when the wait
 * ran out. The route's query DTO declares `atLeast` (ReadYourWritesQueryDto); this checks it.
 */
export const ReadYourWrites = (options: ReadYourWritesOptions = {}) =>
  applyDecorators(SetMetadata(READ_YOUR_WRITES, options), UseInterceptors(ReadYourWritesInterceptor));

@Injectable()
class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly consistency: ReadConsistency,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const options = this.reflector.get<ReadYourWritesOptions | undefined>(READ_YOUR_WRITES, context.getHandler()) ?? {};
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const freshness = await this.consistency.ensure(minimumPosition((request.query as Record<string, unknown>).atLeast, request.get('x-min-position')));
    reportFreshness(http.getResponse<Response>(), freshness);
    return options.byId ? from(answerById(freshness, () => lastValueFrom(next.handle()))) : next.handle();
  }
}

/** `?atLeast=<position>` (or else the X-Min-Position header): the position a query must reflect. */
function minimumPosition(query: unknown, header: string | undefined): Position | undefined {
  if (query !== undefined && typeof query !== 'string') throw badRequest('atLeast', 'atLeast must be given once');
  const text = query ?? header;
  if (text === undefined) return undefined;
  const position = text.length <= 64 ? parsePosition(text) : undefined;
  if (!position) throw badRequest('atLeast', 'atLeast must be a position returned by a command (e.g. "42")');
  return position;
}

function reportFreshness(response: Response, freshness: Freshness): void {
  response.setHeader('X-Read-Model-Position', freshness.position);
  if (!freshness.reached) response.setHeader('X-Read-Model-Stale', 'true');
}
