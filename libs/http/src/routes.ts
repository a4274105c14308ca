import { applyDecorators, Controller, Get, HttpCode, Param, Post, Query, type Type } from '@nestjs/common';
import { QueryBus, type Query as CqrsQuery } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags, type ApiOperationOptions, type ApiResponseOptions } from '@nestjs/swagger';
import type { Action } from '@csp/security';
import { Authorize, Ctx, type RequestContext } from './auth';
import { ReadYourWrites, ReadYourWritesQueryDto, type ReadYourWritesOptions } from './read-your-writes';
import { UuidParam } from './uuid-param.pipe';

/*
 * What every route declares, in one decorator a kind of route: its method and path, the action the
 * caller's roles must allow, its operation in the document and its successful answer. Refusals
 * (ApiRefusals), headers and markers (ConflictFree, NoStoreRefusal) go beside it.
 */

const operationOf = (operation: string | ApiOperationOptions): ApiOperationOptions => (typeof operation === 'string' ? { summary: operation } : operation);

/** A GET answered from its resource's own stream or from reference data: always current. */
export const QueryRoute = (path: string, action: Action, operation: string | ApiOperationOptions, ok: ApiResponseOptions) =>
  applyDecorators(Get(path), Authorize(action), ApiOperation(operationOf(operation)), ApiOkResponse(ok));

/**
 * A GET answered from the read models, read-your-writes (`byId` when the path names the one
 * resource it answers for). Its 200 is documented after read-your-writes, so that read-your-writes'
 * own 200 (its headers, no schema) is merged into it rather than replacing it.
 */
export const ReadRoute = (
  path: string,
  action: Action,
  operation: string | ApiOperationOptions,
  ok: ApiResponseOptions,
  consistency: ReadYourWritesOptions = {},
) => applyDecorators(ReadYourWrites(consistency), QueryRoute(path, action, operation, ok));

/** A POST that runs a command, answering `status` with `answer` when it is accepted. */
export const CommandRoute = (path: string, action: Action, operation: string | ApiOperationOptions, status: 200 | 201 | 202, answer: ApiResponseOptions) =>
  applyDecorators(Post(path), HttpCode(status), Authorize(action), ApiOperation(operationOf(operation)), ApiResponse({ ...answer, status }));

/** The one read a ReadByIdController serves: the resource's route and what its 200 is. */
export interface ReadById<Q extends ReadYourWritesQueryDto = ReadYourWritesQueryDto> {
  /** The controller's class name, as logs and the document's tags name it. */
  readonly name: string;
  /** The route prefix naming the resource, e.g. `v1/customers/:customerId`; its one parameter is the id. */
  readonly prefix: string;
  readonly path: string;
  readonly tag: string;
  readonly action: Action;
  readonly operation: ApiOperationOptions;
  readonly ok: ApiResponseOptions;
  /** The route's query DTO when it reads more than `atLeast` (a page: PagedQueryDto); it extends ReadYourWritesQueryDto. */
  readonly query?: Type<Q>;
}

/**
 * A controller of one GET answered from the read models for the resource its path names
 * (read-your-writes by id: one the read models have not caught up with is 503 read_model_behind,
 * not a 404): the id is checked as a UUID and handed with the caller's context and the validated
 * query (an instance of `read.query`, ReadYourWritesQueryDto by default) to `query`.
 */
export function ReadByIdController<R, Q extends ReadYourWritesQueryDto = ReadYourWritesQueryDto>(
  read: ReadById<Q>,
  query: (context: RequestContext, id: string, dto: Q) => CqrsQuery<R>,
): Type {
  const param = /:(\w+)/.exec(read.prefix)![1]!;
  @ApiTags(read.tag)
  @Controller(read.prefix)
  class ReadByIdRoute {
    constructor(readonly queries: QueryBus) {}

    @ReadRoute(read.path, read.action, read.operation, read.ok, { byId: true })
    read(@Ctx() context: RequestContext, @Param(param, UuidParam) id: string, @Query() dto: ReadYourWritesQueryDto): Promise<R> {
      return this.queries.execute(query(context, id, dto as Q));
    }
  }
  Object.defineProperty(ReadByIdRoute, 'name', { value: read.name });
  // The pipes, read-your-writes' check before waiting and the document all take the query's class
  // from the parameter's declared type: declare the route's own.
  if (read.query) {
    const declared = Reflect.getMetadata('design:paramtypes', ReadByIdRoute.prototype, 'read') as unknown[];
    Reflect.defineMetadata(
      'design:paramtypes',
      declared.map((type, i) => (i === 2 ? read.query : type)),
      ReadByIdRoute.prototype,
      'read',
    );
  }
  return ReadByIdRoute;
}
