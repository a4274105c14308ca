/**
 * Writes the typed client's types, `examples/client/api.d.ts`, from the OpenAPI document the product serves:
 *   npm run client:generate                          the document of the app as built (dist/), no server needed
 *   npm run client:generate -- --from <url | file>   e.g. http://localhost:3000/docs/openapi.json of a running service
 * The file is generated, never edited nor committed: test/e2e/example-client.spec.ts generates it from the
 * document of the service it starts, in every test run, before it compiles and runs examples/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

const ROOT = resolve(__dirname, '../..');
const OUT = join(__dirname, 'api.d.ts');

/**
 * The document `openApiDocument` builds for the app, read in a child process from dist/ (Nest 12 ships
 * ES modules, which the TypeScript loaders here cannot require): the same document GET /docs/openapi.json
 * serves, without starting a server.
 */
function documentOfTheBuiltApp(): OpenAPI3 {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-client-'));
  const dist = (path: string) => JSON.stringify(join(ROOT, 'dist', path));
  const build = `
    const { loadConfig } = require(${dist('libs/config/src')});
    const { JsonLogger } = require(${dist('libs/application/src')});
    const { createRuntime } = require(${dist('libs/runtime/src')});
    const { createApi } = require(${dist('apps/api/src/create-api')});
    const { openApiDocument } = require(${dist('libs/http/src/openapi')});
    (async () => {
      const config = loadConfig({ DATA_DIR: ${JSON.stringify(dataDir)}, AUTH_JWT_SECRET: 'openapi-client', LOG_LEVEL: 'silent' }, ${JSON.stringify(ROOT)});
      const runtime = await createRuntime(config, new JsonLogger('silent'));
      const app = await createApi(runtime);
      await app.init();
      process.stdout.write(JSON.stringify(openApiDocument(app)));
      await app.close();
      await runtime.close();
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  try {
    return JSON.parse(execFileSync(process.execPath, ['-e', build], { cwd: ROOT, encoding: 'utf8', maxBuffer: 20 * 1024 * 1024 })) as OpenAPI3;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function documentFrom(source: string): Promise<OpenAPI3> {
  if (!/^https?:\/\//.test(source)) return JSON.parse(readFileSync(source, 'utf8')) as OpenAPI3;
  const response = await fetch(source);
  if (!response.ok) throw new Error(`${source} answered ${response.status}`);
  return (await response.json()) as OpenAPI3;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' } } });
  const document = values.from ? await documentFrom(values.from) : documentOfTheBuiltApp();
  const types = COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
  writeFileSync(OUT, types);
  process.stdout.write(`${relative(process.cwd(), OUT)}: ${Object.keys(document.paths ?? {}).length} paths from ${values.from ?? 'the built app'}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`client:generate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
