/**
 * The OpenAPI document the compiled service serves at /docs/openapi.json passes Redocly's linter with
 * the rules in redocly.yaml (the recommended set, with the reasons for each change).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { client, startServer } from '../support/server';

jest.setTimeout(60_000);
const ROOT = resolve(__dirname, '../..');
// Its command line, found as node finds the package (and as knip sees it used).
const REDOCLY = require.resolve('@redocly/cli/bin/cli.js');

interface Problem {
  readonly ruleId: string;
  readonly severity: 'error' | 'warn';
  readonly message: string;
  readonly location: readonly { readonly pointer: string }[];
}

it('is served without a problem that redocly.yaml makes an error', async () => {
  const server = await startServer();
  let text: string;
  try {
    const served = await client(server.baseUrl)('GET', '/docs/openapi.json');
    expect(served.status).toBe(200);
    text = served.text;
  } finally {
    await server.stop();
  }
  const file = join(mkdtempSync(join(tmpdir(), 'csp-openapi-lint-')), 'openapi.json');
  writeFileSync(file, text);
  // The linter exits non-zero when it finds an error: its JSON report says which, either way.
  const report = await promisify(execFile)(process.execPath, [REDOCLY, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    maxBuffer: 20 * 1024 * 1024,
  }).catch((failed: { stdout?: string; stderr?: string }) => {
    if (!failed.stdout) throw new Error(`redocly lint did not report:\n${failed.stderr ?? String(failed)}`);
    return failed;
  });
  const problems = (JSON.parse(report.stdout!) as { problems: Problem[] }).problems;
  const line = (p: Problem) => `${p.ruleId} at ${p.location.map((l) => l.pointer).join(', ')}: ${p.message}`;
  const warnings = problems.filter((p) => p.severity !== 'error');
  if (warnings.length > 0) process.stdout.write(`redocly lint: ${warnings.length} warnings\n${warnings.map((p) => `  ${line(p)}`).join('\n')}\n`);
  expect(problems.filter((p) => p.severity === 'error').map(line)).toEqual([]);
});
