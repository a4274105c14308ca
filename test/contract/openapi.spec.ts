/**
 * The OpenAPI document served at /docs describes every route the product serves, and is a valid
 * OpenAPI 3 document: built in process from the real app and compared with its router.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(60_000);
const ROOT = resolve(__dirname, '../..');

// Nest 12 ships ES modules, which jest cannot load on Node 20: build the app from dist/ in a child process.
const inspect = `
  const { loadConfig } = require(${JSON.stringify(join(ROOT, 'dist/libs/config/src'))});
  const { JsonLogger } = require(${JSON.stringify(join(ROOT, 'dist/libs/application/src'))});
  const { createRuntime } = require(${JSON.stringify(join(ROOT, 'dist/libs/runtime/src'))});
  const { createApi } = require(${JSON.stringify(join(ROOT, 'dist/apps/api/src/create-api'))});
  const { openApiDocument } = require(${JSON.stringify(join(ROOT, 'dist/libs/http/src/openapi'))});
  (async () => {
    const config = loadConfig({ DATA_DIR: ${JSON.stringify(mkdtempSync(join(tmpdir(), 'csp-openapi-')))}, AUTH_JWT_SECRET: 'openapi', LOG_LEVEL: 'silent' }, ${JSON.stringify(ROOT)});
    const runtime = await createRuntime(config, new JsonLogger('silent'));
    const app = await createApi(runtime);
    await app.init();
    const served = app.getHttpAdapter().getInstance().router.stack
      .filter((l) => l.route)
      .flatMap((l) => Object.keys(l.route.methods).map((m) => m.toUpperCase() + ' ' + l.route.path.replace(/:(\\w+)/g, '{$1}')));
    process.stdout.write(JSON.stringify({ served, document: openApiDocument(app) }));
    await app.close();
    await runtime.close();
  })().catch((e) => { console.error(e); process.exit(1); });
`;
let served: string[];
let document: any;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/apps/api/src/create-api.js'))) throw new Error('run `npm run build` first (npm test does)');
  const out = JSON.parse(execFileSync(process.execPath, ['-e', inspect], { cwd: ROOT, encoding: 'utf8', maxBuffer: 20 * 1024 * 1024 }));
  served = (out.served as string[]).filter((r) => !r.includes(' /docs')).sort();
  document = out.document;
});

it('describes exactly the routes the app serves', () => {
  const documented = Object.entries(document.paths as Record<string, object>)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    .sort();
  expect(served.length).toBeGreaterThanOrEqual(26);
  expect(documented).toEqual(served);
});

it('is a well-formed OpenAPI 3 document', () => {
  expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
  expect(document.info).toEqual(expect.objectContaining({ title: 'CSP software orders', version: '1' }));
  expect(document.components?.securitySchemes?.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  for (const [path, item] of Object.entries(document.paths)) {
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, operation] of Object.entries(
      item as Record<string, { responses?: object; parameters?: { name: string; in: string }[]; operationId?: string; summary?: string }>,
    )) {
      expect({ operation: `${method} ${path}`, responses: Object.keys(operation.responses ?? {}).length > 0 }).toEqual({
        operation: `${method} ${path}`,
        responses: true,
      });
      expect(operation.operationId).toEqual(expect.any(String));
      expect({ operation: `${method} ${path}`, summary: (operation.summary ?? '').trim().length > 0 }).toEqual({
        operation: `${method} ${path}`,
        summary: true,
      });
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParams.sort()).toEqual([...templated].sort());
    }
  }
  // Request bodies carry their schemas: the purchase names its lines.
  const schemas = document.components?.schemas as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
  expect(schemas.PurchaseSoftwareDto!.properties).toHaveProperty('lines');
  expect(schemas.PurchaseSoftwareDto!.required).toContain('lines');
  expect(schemas.OrderLineDto!.required?.sort()).toEqual(['quantity', 'sku']);
});

it('is served at /docs (interactive) and /docs/openapi.json, without a token', async () => {
  const { startServer, client } = await import('../support/server');
  const server = await startServer();
  try {
    const call = client(server.baseUrl);
    const page = await call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const json = await call('GET', '/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths).sort()).toEqual(Object.keys(document.paths).sort());
  } finally {
    await server.stop();
  }
});

type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: { type?: string; enum?: string[] } }[];
  responses: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string } }>; headers?: Record<string, unknown> }>;
};
const operations = (): [string, Operation][] =>
  Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
  );
const ERROR = '#/components/schemas/ErrorBody';
const find = (route: string) => operations().find(([name]) => name === route)![1];
const PUBLIC = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /v1/downloads/{token}'];
/** The analysts' routes, each with the schema of its JSON answer; each answers CSV beside it. */
const ANALYTICS: Record<string, string> = {
  'GET /v1/analytics/purchases': 'PurchaseAnalyticsResponse',
  'GET /v1/analytics/key-access': 'KeyAccessAnalyticsResponse',
  'GET /v1/analytics/cancellations': 'CancellationAnalyticsResponse',
  'GET /v1/analytics/credits': 'CreditAnalyticsResponse',
};

describe('what the document says beyond the routes', () => {
  it('describes the error body the exception filter sends', () => {
    const schemas = document.components.schemas;
    expect(schemas.ErrorBody).toEqual(expect.objectContaining({ required: ['error'], properties: { error: { $ref: '#/components/schemas/Refusal' } } }));
    expect(schemas.Refusal.required.sort()).toEqual(['code', 'message']);
    expect(Object.keys(schemas.Refusal.properties).sort()).toEqual(['code', 'details', 'message']);
  });

  it('gives every error status the error body, and every operation a success', () => {
    for (const [name, operation] of operations()) {
      const statuses = Object.keys(operation.responses);
      expect({ name, success: statuses.filter((s) => /^2/.test(s)).length }).toEqual({ name, success: 1 });
      // The readiness probe's 503 is its own status body (a monitor reads what is wrong from it), documented below.
      for (const status of statuses.filter((s) => /^[45]/.test(s) && !(name === 'GET /health/ready' && s === '503'))) {
        expect({ name, status, schema: operation.responses[status]!.content?.['application/json']?.schema?.$ref }).toEqual({ name, status, schema: ERROR });
      }
    }
  });

  it('marks the public routes `security: []` and documents 401 on every other, and 403 where a role may be refused', () => {
    // What every caller may read (the catalog, the KMS deadline) is never forbidden.
    const openToEveryCaller = ['GET /v1/catalog', 'GET /v1/kms-migration/deadline'];
    for (const [name, operation] of operations()) {
      if (PUBLIC.includes(name)) {
        expect({ name, security: operation.security }).toEqual({ name, security: [] });
        expect(operation.responses).not.toHaveProperty('401');
      } else {
        expect({ name, security: operation.security }).toEqual({ name, security: undefined }); // the document's bearer requirement
        expect({ name, statuses: Object.keys(operation.responses) }).toEqual({
          name,
          statuses: openToEveryCaller.includes(name) ? expect.not.arrayContaining(['403']) : expect.arrayContaining(['401', '403']),
        });
        expect(operation.responses).toHaveProperty('401');
        expect(operation.responses['401']!.headers).toHaveProperty('WWW-Authenticate');
      }
    }
    expect(JSON.stringify(document)).not.toContain('x-csp-');
  });

  it('documents 400 where input is validated, 404 where a path names an id, 413 and 415 where a body is read', () => {
    for (const [name, operation] of operations()) {
      const statuses = Object.keys(operation.responses);
      const takesQuery = (operation.parameters ?? []).some((p) => p.in === 'query');
      if (takesQuery || 'requestBody' in operation) expect({ name, statuses }).toEqual({ name, statuses: expect.arrayContaining(['400']) });
      if ('requestBody' in operation) expect({ name, statuses }).toEqual({ name, statuses: expect.arrayContaining(['400', '413', '415']) });
      if (/\{\w+\}/.test(name)) expect({ name, statuses }).toEqual({ name, statuses: expect.arrayContaining(['404']) });
    }
  });

  it('documents read-your-writes: atLeast and X-Min-Position in, the read-model headers out, 503 for a query by id', () => {
    const reads = operations().filter(([, operation]) => (operation.parameters ?? []).some((p) => p.name === 'atLeast'));
    expect(reads).toHaveLength(9);
    for (const [name, operation] of reads) {
      expect({ name, header: operation.parameters!.some((p) => p.in === 'header' && p.name === 'X-Min-Position') }).toEqual({ name, header: true });
      expect(Object.keys(operation.responses['200']!.headers ?? {}).sort()).toEqual(['X-Read-Model-Position', 'X-Read-Model-Stale']);
    }
    for (const route of ['GET /v1/customers/{customerId}', 'GET /v1/customers/{customerId}/software', 'GET /v1/customers/{customerId}/orders']) {
      expect(find(route).responses['503']!.headers).toHaveProperty('Retry-After');
    }
    // A query that is not by id answers stale rather than 503 read_model_behind (its 503 is the store's alone).
    expect(find('GET /v1/credits').responses['503']?.description).not.toContain('read_model_behind');
  });

  it('documents the pages of every list paged by cursor: limit and cursor in, nextCursor out, each described', () => {
    const lists: Record<string, string> = {
      'GET /v1/customers/{customerId}/software': 'SoftwareListResponse',
      'GET /v1/customers/{customerId}/orders': 'OrderHistoryResponse',
      'GET /v1/activity-log': 'ActivityLogResponse',
      'GET /v1/credits': 'CreditsResponse',
    };
    for (const [route, response] of Object.entries(lists)) {
      const parameters = find(route).parameters as { name: string; in: string; required?: boolean; description?: string; schema?: object }[];
      const limit = parameters.find((p) => p.name === 'limit')!;
      const cursor = parameters.find((p) => p.name === 'cursor')!;
      expect({ route, limit: limit.schema, where: [limit.in, cursor.in], required: [limit.required, cursor.required] }).toEqual({
        route,
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        where: ['query', 'query'],
        required: [false, false],
      });
      expect({ route, described: [limit.description, cursor.description].every((d) => /\w/.test(d ?? '')) }).toEqual({ route, described: true });
      const schema = document.components.schemas[response];
      expect({ route, nextCursor: schema.properties.nextCursor }).toEqual({
        route,
        nextCursor: expect.objectContaining({ type: 'string', description: expect.stringContaining('cursor') }),
      });
      expect({ route, required: schema.required }).toEqual({ route, required: expect.not.arrayContaining(['nextCursor']) });
    }
    expect(document.components.schemas.CreditsResponse.properties.totals.description).toContain('whole selection');
  });

  it('documents the request and response headers the routes read and send', () => {
    const purchase = find('POST /v1/customers/{customerId}/orders');
    expect(purchase.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: false }));
    expect(purchase.responses['201']!.headers).toHaveProperty('Idempotent-Replayed');
    expect(find('GET /v1/events').parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'Last-Event-ID' }));
    expect(find('POST /v1/orders/{orderId}/keys').responses['429']!.headers).toHaveProperty('Retry-After');
  });

  it('says which answers are not JSON: the event stream, and CSV beside JSON for the analytics', () => {
    expect(Object.keys(find('GET /v1/events').responses['200']!.content!)).toEqual(['text/event-stream']);
    const analytics = operations().filter(([name]) => name.startsWith('GET /v1/analytics/'));
    expect(analytics.map(([name]) => name).sort()).toEqual(Object.keys(ANALYTICS).sort());
    for (const [, operation] of analytics) {
      expect(Object.keys(operation.responses['200']!.content!).sort()).toEqual(['application/json', 'text/csv']);
      expect(Object.keys(operation.responses['400']!.content!)).toEqual(['application/json']);
    }
  });

  it('documents the success body of every route of the orders, customers and refunds contexts as a schema', () => {
    // The routes of libs/orders, libs/customers and libs/refunds: each answer is a response class (Answer, libs/http/src/answer.ts).
    const routes = operations().filter(([name]) => /^\w+ \/v1\/(customers|orders|downloads|refund-requests)(\/|$)/.test(name));
    expect(routes).toHaveLength(16);
    const schemas = document.components.schemas as Record<string, { type?: string; properties?: object }>;
    for (const [name, operation] of routes) {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
      const ref = successes[0]?.[1].content?.['application/json']?.schema?.$ref;
      expect({ name, ref }).toEqual({ name, ref: expect.stringMatching(/^#\/components\/schemas\/\w+Response$/) });
      const schema = schemas[ref!.split('/').pop()!];
      expect({ name, type: schema?.type, properties: Object.keys(schema?.properties ?? {}).length > 0 }).toEqual({ name, type: 'object', properties: true });
    }
    // Optional fields are sent only when present: not required.
    const order = document.components.schemas.OrderResponse;
    expect(order.required).toEqual(expect.arrayContaining(['orderId', 'status', 'lines', 'totals', 'cancellationPolicy']));
    expect(order.required).not.toContain('idempotencyKey');
    expect(document.components.schemas.PurchaseResponse.required).not.toContain('position');
    expect(order.properties.lines.items.$ref).toBe('#/components/schemas/OrderLineResponse');
    expect(document.components.schemas.OrderLineResponse.properties.status.enum).toEqual(['active', 'cancelled']);
  });

  it('types whole numbers as integer, and the query parameters with their kinds', () => {
    // The two fractions of the API are the only `number`s: a cancellation rate and an average of days.
    const numbers = Object.entries(document.components.schemas as Record<string, { properties?: Record<string, { type?: string }> }>).flatMap(
      ([schema, { properties }]) => Object.entries(properties ?? {}).flatMap(([field, { type }]) => (type === 'number' ? [`${schema}.${field}`] : [])),
    );
    expect(numbers.sort()).toEqual(['CancellationAnalyticsResponse.averageDaysToCancel', 'CancellationAnalyticsResponse.cancellationRate']);
    expect(JSON.stringify(document.paths)).not.toContain('"type":"number"');
    const schemas = document.components.schemas;
    expect(schemas.OrderLineDto.properties.quantity).toEqual(expect.objectContaining({ type: 'integer', minimum: 1 }));
    expect(schemas.CancelOrderDto.properties.lines.items.type).toBe('integer');
    const parameter = (route: string, name: string) => find(route).parameters!.find((p) => p.name === name)!;
    expect(parameter('GET /v1/activity-log', 'limit').schema!.type).toBe('integer');
    expect(parameter('GET /v1/activity-log', 'from').required).toBe(true);
    expect(parameter('GET /v1/analytics/purchases', 'offset').schema!.type).toBe('integer');
    expect(parameter('GET /v1/analytics/credits', 'groupBy').schema!.enum).toEqual(['partner', 'customer', 'family']);
    expect(parameter('GET /v1/credits', 'atLeast').schema!.type).toBe('string');
  });
});

describe('the success bodies of the audit, credits, analytics, webhooks and platform routes', () => {
  type Schema = {
    $ref?: string;
    type?: string;
    items?: Schema;
    allOf?: Schema[];
    oneOf?: Schema[];
    properties?: Record<string, Schema>;
    required?: string[];
    enum?: unknown[];
    nullable?: boolean;
    description?: string;
    example?: unknown;
  };
  const schemas = (): Record<string, Schema> => document.components.schemas;
  const named = (ref: string) => ref.replace('#/components/schemas/', '');
  const schemaOf = (route: string, status: string, media = 'application/json') =>
    (find(route).responses[status]!.content?.[media] as { schema?: Schema } | undefined)?.schema;
  /** Every schema a schema reaches, by name (each must be declared, each property typed). */
  const reached = (schema: Schema, seen = new Set<string>()): Set<string> => {
    if (schema.$ref) {
      const name = named(schema.$ref);
      if (seen.has(name)) return seen;
      seen.add(name);
      expect({ name, declared: name in schemas() }).toEqual({ name, declared: true });
      return reached(schemas()[name]!, seen);
    }
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.items ? [schema.items] : [])]) reached(part, seen);
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      expect({ field, typed: property.type !== undefined || property.$ref !== undefined || property.allOf !== undefined }).toEqual({ field, typed: true });
      reached(property, seen);
    }
    return seen;
  };
  const JSON_ANSWERS: Record<string, [status: string, schema: string]> = {
    'GET /health/live': ['200', 'Liveness'],
    'GET /health/ready': ['200', 'Readiness'],
    'GET /v1/catalog': ['200', 'CatalogResponse'],
    'GET /v1/kms-migration/deadline': ['200', 'KmsMigrationDeadlineResponse'],
    'GET /v1/activity-log': ['200', 'ActivityLogResponse'],
    'GET /v1/credits': ['200', 'CreditsResponse'],
    ...Object.fromEntries(Object.entries(ANALYTICS).map(([route, schema]): [string, [string, string]] => [route, ['200', schema]])),
    'POST /v1/webhooks': ['201', 'RegisteredWebhookResponse'],
    'GET /v1/webhooks/{webhookId}/dead-letters': ['200', 'WebhookDeadLettersResponse'],
    'POST /v1/webhooks/{webhookId}/replay': ['202', 'WebhookReplayResponse'],
  };

  it('gives every operation of these routes a success body with a schema', () => {
    const scope = operations().filter(([name]) => /^\w+ \/(health|v1\/(catalog|kms-migration|activity-log|credits|analytics|webhooks|events))\b/.test(name));
    expect(scope.map(([name]) => name).sort()).toEqual([...Object.keys(JSON_ANSWERS), 'GET /v1/events'].sort());
    for (const [route, [status, schema]] of Object.entries(JSON_ANSWERS)) {
      expect({ route, schema: schemaOf(route, status)?.$ref }).toEqual({ route, schema: `#/components/schemas/${schema}` });
      expect({ route, description: find(route).responses[status]!.description }).toEqual({ route, description: expect.stringMatching(/\w/) });
      const properties = schemas()[schema]!.properties ?? {};
      expect({ route, fields: Object.keys(properties).length > 0 }).toEqual({ route, fields: true });
      reached(schemaOf(route, status)!);
    }
  });

  it('documents the readiness probe answering 200 or 503 with its status body, not the error body', () => {
    const unready = schemaOf('GET /health/ready', '503')!;
    expect(unready.oneOf!.map((s) => s.$ref)).toEqual(['#/components/schemas/Readiness', '#/components/schemas/Unavailability']);
    expect(schemas().Readiness!.properties!.status!.enum).toEqual(['ready', 'starting', 'degraded']);
    expect(schemas().Unavailability!.required!.sort()).toEqual(['error', 'status']);
    expect(schemas().ReadModelStatus!.properties!.leaseHolder).toEqual(expect.objectContaining({ type: 'string', nullable: true }));
    expect(schemas().ReadModelStatus!.required!.sort()).toEqual(['caughtUp', 'generation', 'head', 'model', 'state']);
  });

  it('keeps the CSV of the analytics beside their JSON schema, and describes the frames of the event stream', () => {
    for (const route of Object.keys(ANALYTICS)) {
      expect(schemaOf(route, '200', 'text/csv')).toEqual(expect.objectContaining({ type: 'string' }));
    }
    const stream = schemaOf('GET /v1/events', '200', 'text/event-stream')!;
    expect(stream.type).toBe('string');
    expect(stream.description).toEqual(expect.stringContaining('docs/events.md'));
    expect(stream.description).toEqual(expect.stringContaining('docs/schemas/published/'));
    expect(stream.example).toEqual(expect.stringMatching(/^retry: 2000\n\nid: \S+\nevent: \w+\ndata: \{.*\}\n\n/));
  });

  it('types the fields as sent: whole numbers integer, enums, optional fields not required', () => {
    const s = schemas();
    expect(s.Money!.properties!.amount!.type).toBe('integer');
    expect(s.CreditEntry!.required!.sort()).toEqual([
      'amount',
      'creditId',
      'currency',
      'invoiceMonth',
      'issuedAt',
      'partnerTenantId',
      'source',
      'taxInclusive',
    ]);
    expect(s.CreditEntry!.properties!.source!.enum).toEqual(['cancellation', 'refund-request']);
    expect(s.CreditsResponse!.required!.sort()).toEqual(['items', 'totals']);
    expect(s.ActivityLogResponse!.required!.sort()).toEqual(['from', 'items', 'to']);
    expect(s.ActivityLogEntry!.properties!.kind!.enum).toEqual(['key-revealed', 'download-link-issued', 'software-downloaded']);
    expect(s.ActivityLogEntry!.required).not.toContain('keyFingerprint');
    expect(s.ActivityActor!.required ?? []).toEqual([]);
    for (const page of ['PurchaseAnalyticsResponse', 'KeyAccessAnalyticsResponse', 'CreditAnalyticsResponse']) {
      expect(s[page]!.required!.sort()).toEqual(['items', 'limit', 'offset', 'total']);
      expect(['total', 'offset', 'limit'].map((f) => s[page]!.properties![f]!.type)).toEqual(['integer', 'integer', 'integer']);
    }
    expect(s.PurchaseGroup!.required!.sort()).toEqual(['amounts', 'lines', 'quantity']);
    expect(s.CreditGroup!.required!.sort()).toEqual(['amounts', 'credits', 'invoiceMonth']);
    expect(s.CancellationAnalyticsResponse!.properties!.averageDaysToCancel!.nullable).toBe(true);
    expect(s.CatalogItem!.properties!.termMonths).toEqual(expect.objectContaining({ type: 'integer', enum: [12, 36] }));
    expect(s.CatalogItem!.required).not.toContain('unavailableMarkets');
    expect(s.RegisteredWebhookResponse!.required!.sort()).toEqual(['eventTypes', 'secret', 'signature', 'url', 'webhookId']);
    expect(s.DeadLetter!.properties!.attempts!.type).toBe('integer');
  });
});
