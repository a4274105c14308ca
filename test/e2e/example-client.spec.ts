/**
 * A client generated from the document the service serves compiles and drives the product: the types
 * are generated here, from GET /docs/openapi.json of the compiled service this test starts
 * (`examples/client/generate.ts --from`), examples/ is compiled against them with its own tsconfig
 * (no import of the product's code), and the README's walk-through (examples/walkthrough.ts) runs
 * against the service with tokens minted as the README mints them (`npm run token`). A route, a
 * parameter or a body that the document stops describing fails the compilation; an answer that
 * stops being what the README says fails the run.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { client, startServer, type RunningServer } from '../support/server';

jest.setTimeout(120_000);
const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const node = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

it('generates the client from the served document, compiles examples/ with it and runs the walk-through', async () => {
  const served = `${server.baseUrl}/docs/openapi.json`;
  await node(['-r', '@swc-node/register', 'examples/client/generate.ts', '--from', served]);
  const types = readFileSync(join(ROOT, 'examples/client/api.d.ts'), 'utf8');
  const document = (await client(server.baseUrl)('GET', '/docs/openapi.json')).body as { paths: Record<string, unknown> };
  for (const path of Object.keys(document.paths)) expect({ path, typed: types.includes(`${JSON.stringify(path)}: {`) }).toEqual({ path, typed: true });

  // Compiled, not only checked: the program that runs is what tsc emitted.
  await node([require.resolve('typescript/bin/tsc'), '-p', 'examples/tsconfig.json']).catch((error: { stdout?: string }) => {
    throw new Error(`examples/ does not compile against the generated client:\n${error.stdout}`);
  });

  const token = async (...args: string[]) =>
    (await node(['dist/apps/cli/src/token.js', ...args], { AUTH_JWT_SECRET: server.secret, DATA_DIR: server.dataDir })).stdout.trim();
  const env = {
    CSP_API_URL: server.baseUrl,
    AGENT_TOKEN: await token('--role', 'admin-agent', '--tid', randomUUID()),
    BACK_OFFICE_TOKEN: await token('--role', 'back-office'),
  };
  const walk = await node(['dist/examples/walkthrough.js'], env).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`the walk-through failed:\n${error.stdout}${error.stderr}`);
  });
  const lines = walk.stdout.trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^customer [0-9a-f-]{36} /),
    expect.stringMatching(/^catalog: \d+ SKUs; WS2025-STD /),
    expect.stringMatching(/^order [0-9a-f-]{36}: \d+ [A-Z]{3}; the retry answered the same order$/),
    expect.stringMatching(/^MAK key [0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/),
    expect.stringMatching(/^link until \d{4}-\d{2}-\d{2}T\S+Z, 50 downloads$/),
    expect.stringMatching(/^downloaded \S+\.iso, 49 left$/),
    expect.stringMatching(/^cancellable for \d+ more days$/),
    expect.stringMatching(/^refund request [0-9a-f-]{36} approved: \d+ [A-Z]{3} on the \d{4}-\d{2} invoice$/),
    'approving it again: 409 refund_request_decided',
    expect.stringMatching(/^order cancelled: \d+ [A-Z]{3} credited$/),
    'the link now answers 410 link_revoked',
    // In the read model's order, which need not be the order they were issued in.
    expect.stringMatching(/^credits: (refund-request \d+, cancellation \d+|cancellation \d+, refund-request \d+); total \d+ [A-Z]{3}$/),
    'walk-through complete',
  ]);
  expect(walk.stderr).toBe('');
});
