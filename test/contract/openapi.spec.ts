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
      item as Record<string, { responses?: object; parameters?: { name: string; in: string }[]; operationId?: string }>,
    )) {
      expect({ operation: `${method} ${path}`, responses: Object.keys(operation.responses ?? {}).length > 0 }).toEqual({
        operation: `${method} ${path}`,
        responses: true,
      });
      expect(operation.operationId).toEqual(expect.any(String));
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
