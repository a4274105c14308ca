import { HttpStatus, RequestMethod, type INestApplication, type PipeTransform, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ApiResponse, DECORATORS, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, PathItemObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiRefusals, CONFLICT_FREE, NO_STORE_REFUSAL, type Refusals } from './refusals';
import { UuidParam } from './uuid-param.pipe';

/** Marks an operation that needs no token (@Public): the document gives it `security: []`. */
export const PUBLIC_OPERATION = 'x-csp-public';
/** Marks an operation that answers CSV when asked (@CsvWhenAsked): its success lists `text/csv` beside JSON. */
export const CSV_ANSWER = 'x-csp-csv';

/** The OpenAPI document of every route, built from the controllers themselves. */
/** @public The OpenAPI test builds the document from dist/ by this name. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CSP software orders')
    .setDescription(
      'Purchases of on-premises software on behalf of customers, product keys, download links, cancellations and credits; ' +
        'read models for software lists, the key-access activity log, credits and analytics; the event stream for back office. ' +
        'Errors are `{ "error": { "code", "message", "details"? } }`. Every command answers with the `position` it was committed at; ' +
        'queries accept `?atLeast=<position>` (read-your-writes).',
    )
    .setVersion('1')
    // Relative: the service that serves the document is the one it describes, at whatever address it is reached.
    .addServer('/', 'The service that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Claims: sub, tid (tenant GUID), roles[]' })
    .addSecurityRequirements('bearer')
    .build();
  describeRouteInputs(app);
  const document = SwaggerModule.createDocument(app, config);
  for (const item of Object.values(document.paths) as PathItemObject[]) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation) applyMarkers(operation as OperationObject & Record<string, unknown>);
    }
  }
  return document;
}

/** Serves the interactive documentation at /docs and the document itself at /docs/openapi.json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}

const BODY_REFUSALS: Refusals = {
  400: '`validation_failed` (`details.field` names the first offending field, `details.problems` all of them; an unknown field is refused too), `malformed_json`, `invalid_body`',
  413: '`payload_too_large`: the body exceeds the limit (1 MiB)',
  415: '`unsupported_encoding`: the body is not UTF-8 JSON',
};
const QUERY_REFUSALS: Refusals = { 400: '`validation_failed`: a query parameter is unknown, given twice or invalid (`details.field` names it)' };
/** What the HTTP server itself refuses before any route runs (http-server.ts), on every route. */
const SERVER_REFUSALS: Refusals = {
  400: '`malformed_request`: the request is not valid HTTP/1.1',
  408: '`request_timeout`: the request line, headers or body were not received in time',
  431: '`headers_too_large`: the request headers exceed the limit',
};
/** What any route that reads or writes a store may answer when it cannot be reached (exception.filter.ts). */
const STORE_REFUSALS: Refusals = {
  503:
    '`store_unavailable`: the event store or the read-model store cannot be reached; nothing was recorded. ' +
    '`service_starting` (early-listener.ts): the process listens but had not finished starting within 10 s (a first start building its indexes); nothing was recorded, retry after `Retry-After` seconds',
};
/** What any command may answer when its stream kept changing under it (the stream repository retries first). */
const COMMAND_REFUSALS: Refusals = { 409: '`concurrent_change`: the resource was changed concurrently too many times; retry the request' };
const PATH_REFUSALS: Refusals = {
  404: "`not_found` for a path id that is not one of the product's ids; the handler's own 404 for one that names nothing, or nothing the caller's tenant may see",
};

interface RouteArgument {
  readonly index: number;
  readonly data?: string;
  readonly pipes?: readonly (PipeTransform | Type<PipeTransform>)[];
}

/** Handlers already described: the document is built more than once (served, tested), the metadata amended once. */
const described = new WeakSet<object>();

/**
 * What a route's own parameters say it can refuse, read from the handlers once every decorator has
 * run, so that a route never has to repeat it: a body can be invalid, too large or not UTF-8; a
 * query DTO can be refused; an id in the path can name nothing. A route that documents refusals
 * still documents its success as Nest would (its @HttpCode, else 201 for a POST, else 200).
 */
function describeRouteInputs(app: INestApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        const handler = descriptor?.value as unknown;
        // A route handler has a path and a method; the class's own constructor has a path (the controller's) only.
        if (typeof handler !== 'function' || name === 'constructor' || Reflect.getMetadata(PATH_METADATA, handler) === undefined || described.has(handler))
          continue;
        described.add(handler);
        const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<string, RouteArgument>);
        const kinds = args.map(([key, argument]) => ({ kind: Number(key.split(':')[0]), argument }));
        const refusals: Refusals[] = [SERVER_REFUSALS];
        // Every route reaches a store and refuses when it cannot, but those marked @NoStoreRefusal (the probes, the scrape, the catalog…).
        const noStoreRefusal = Reflect.getMetadata(NO_STORE_REFUSAL, metatype) === true || Reflect.getMetadata(NO_STORE_REFUSAL, handler) === true;
        if (!noStoreRefusal) refusals.push(STORE_REFUSALS);
        // Every POST is a command that may lose a race, unless marked @ConflictFree (the download, a GET that records an event, declares its own 409).
        if (Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST && Reflect.getMetadata(CONFLICT_FREE, handler) !== true)
          refusals.push(COMMAND_REFUSALS);
        if (kinds.some(({ kind }) => kind === RouteParamtypes.BODY)) refusals.push(BODY_REFUSALS);
        if (kinds.some(({ kind, argument }) => kind === RouteParamtypes.QUERY && argument.data === undefined)) refusals.push(QUERY_REFUSALS);
        if (kinds.some(({ kind, argument }) => kind === RouteParamtypes.PARAM && argument.pipes?.includes(UuidParam))) refusals.push(PATH_REFUSALS);
        for (const refusal of refusals) ApiRefusals(refusal)(prototype, name, descriptor!);
        const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) as Record<string, unknown> | undefined;
        if (responses && !Object.keys(responses).some((status) => /^2\d\d$/.test(status))) {
          ApiResponse({ status: successStatus(handler), description: '' })(prototype, name, descriptor!);
        }
      }
    }
  }
}

/** Nest's own choice of a route's success status (what @nestjs/swagger documents by default). */
function successStatus(handler: object): number {
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  if (code !== undefined) return code;
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK;
}

/** Turns the platform's markers into what OpenAPI says: no security requirement, CSV beside JSON. */
function applyMarkers(operation: OperationObject & Record<string, unknown>): void {
  if (operation[PUBLIC_OPERATION]) operation.security = [];
  if (operation[CSV_ANSWER]) {
    for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
      if (!/^2\d\d$/.test(status)) continue;
      response.content = {
        'application/json': response.content?.['application/json'] ?? {},
        ...response.content,
        'text/csv': { schema: { type: 'string', description: 'The rows of the answer, one line each, with a header line' } },
      };
    }
  }
  delete operation[PUBLIC_OPERATION];
  delete operation[CSV_ANSWER];
}
