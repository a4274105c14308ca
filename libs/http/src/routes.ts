import { applyDecorators, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, type ApiOperationOptions, type ApiResponseOptions } from '@nestjs/swagger';
import type { Action } from '@csp/security';
import { Authorize } from './auth';
import { ReadYourWrites, type ReadYourWritesOptions } from './read-your-writes';

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
export const ReadRoute = (path: string, action: Action, operation: string | ApiOperationOptions, ok: ApiResponseOptions, consistency: ReadYourWritesOptions = {}) =>
  applyDecorators(ReadYourWrites(consistency), QueryRoute(path, action, operation, ok));

/** A POST that runs a command, answering `status` with `answer` when it is accepted. */
export const CommandRoute = (path: string, action: Action, operation: string | ApiOperationOptions, status: 200 | 201 | 202, answer: ApiResponseOptions) =>
  applyDecorators(Post(path), HttpCode(status), Authorize(action), ApiOperation(operationOf(operation)), ApiResponse({ ...answer, status }));
