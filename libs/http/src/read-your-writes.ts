import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow } from 'class-validator';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { answerById, ReadConsistency, type Freshness } from '@csp/application';
import { parsePosition, type Position } from '@csp/event-store';
import { badRequest } from './api-error';
import { ApiRefusals } from './refusals';
import { strictValidationPipe } from './validation';

export interface ReadYourWritesOptions {
  /**
   * A query by id: a "not found" from a read model that had not reached the position is 503
   * read_model_behind with Retry-After, not a 404 it cannot know (answerById, SPEC §2).
   */
  readonly byId?: boolean;
}

const READ_YOUR_WRITES = 'csp:read-your-writes';
/** Longer than any position a store hands out; anything longer is refused unread. */
const MAX_POSITION_LENGTH = 64;

/** The queries of the read models: `atLeast` is read and checked by @ReadYourWrites, before the route runs. */
export class ReadYourWritesQueryDto {
  @ApiPropertyOptional({
    type: 'string',
    maxLength: MAX_POSITION_LENGTH,
    example: '42',
    description:
      'Read-your-writes: a position returned by a command (the X-Min-Position header says the same); the answer reflects at least it, or says X-Read-Model-Stale',
  })
  @Allow()
  atLeast?: string;
}

/**
 * A query over the read models that reads its caller's writes: before the route runs it waits,
 * within a bound, until the read models have applied the position named by `?atLeast=` or the
 * `X-Min-Position` header (by default everything committed when the query arrived), and the answer
 * says what it reflects: `X-Read-Model-Position`, and `X-Read-Model-Stale: true` when the wait
 * ran out. The route's query DTO declares `atLeast` (ReadYourWritesQueryDto); this checks it.
 */
export const ReadYourWrites = (options: ReadYourWritesOptions = {}) =>
  applyDecorators(SetMetadata(READ_YOUR_WRITES, options), UseInterceptors(ReadYourWritesInterceptor), ...documentation(options));

/** What the document says of a read-your-writes query: the header it reads, the headers it answers with, how it refuses. */
function documentation(options: ReadYourWritesOptions): MethodDecorator[] {
  return [
    ApiHeader({
      name: 'X-Min-Position',
      required: false,
      description: 'Read-your-writes, as `?atLeast=` (which takes precedence): a position returned by a command',
      schema: { type: 'string', maxLength: MAX_POSITION_LENGTH, example: '42' },
    }),
    // A query answers 200 when it is fresh and when it is stale: the headers say which.
    ApiResponse({
      status: 200,
      description: '',
      headers: {
        'X-Read-Model-Position': { description: 'The position the answer reflects', schema: { type: 'string' } },
        'X-Read-Model-Stale': {
          description: 'Sent, `true`, when the read models had not reached the position asked for within the wait: the answer may miss the latest writes',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    }),
    ApiRefusals({
      400: '`validation_failed` (`details.field` `atLeast`): `atLeast` or `X-Min-Position` is not a position returned by a command, or `atLeast` is given twice',
      ...(options.byId
        ? {
            503: '`read_model_behind`: the read model has not reached the position asked for, so it cannot know whether the thing exists; retry after `Retry-After` seconds',
          }
        : {}),
    }),
  ];
}

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
    // Interceptors run before pipes: check the route's path and query first, so that input that can
    // never be answered is refused at once, not after waiting for the read models.
    await checkInputBeforeWaiting(context, request);
    const freshness = await this.consistency.ensure(minimumPosition((request.query as Record<string, unknown>).atLeast, request.get('x-min-position')));
    reportFreshness(http.getResponse<Response>(), freshness);
    return options.byId ? from(answerById(freshness, () => lastValueFrom(next.handle()))) : next.handle();
  }
}

const validation = strictValidationPipe();

interface RouteArgument {
  readonly index: number;
  readonly data?: string;
  readonly pipes?: readonly (PipeTransform | Type<PipeTransform>)[];
}

/** Runs, ahead of time, the pipes Nest will run on the route's query DTO and path parameters (same pipes, same refusals). */
async function checkInputBeforeWaiting(context: ExecutionContext, request: Request): Promise<void> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, RouteArgument>;
  const types = (Reflect.getMetadata('design:paramtypes', context.getClass().prototype, context.getHandler().name) ?? []) as Type[];
  for (const [key, argument] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]);
    const metatype = types[argument.index];
    if (kind === RouteParamtypes.QUERY && argument.data === undefined) {
      await validation.transform(request.query, { type: 'query', metatype, data: undefined });
    } else if (kind === RouteParamtypes.PARAM && argument.data !== undefined) {
      for (const pipe of argument.pipes ?? []) {
        const instance = typeof pipe === 'function' ? new pipe() : pipe;
        await instance.transform(request.params[argument.data], { type: 'param', metatype, data: argument.data });
      }
    }
  }
}

/** `?atLeast=<position>` (or else the X-Min-Position header): the position a query must reflect. */
function minimumPosition(query: unknown, header: string | undefined): Position | undefined {
  if (query !== undefined && typeof query !== 'string') throw badRequest('atLeast', 'atLeast must be given once');
  const text = query ?? header;
  if (text === undefined) return undefined;
  const position = text.length <= MAX_POSITION_LENGTH ? parsePosition(text) : undefined;
  if (!position) throw badRequest('atLeast', 'atLeast must be a position returned by a command (e.g. "42")');
  return position;
}

function reportFreshness(response: Response, freshness: Freshness): void {
  response.setHeader('X-Read-Model-Position', freshness.position);
  if (!freshness.reached) response.setHeader('X-Read-Model-Stale', 'true');
}
