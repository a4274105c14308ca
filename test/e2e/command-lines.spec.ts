/**
 * Every command line of the product reads its arguments the same way (node:util parseArgs, see
 * apps/cli/src/args.ts): `--help`/`-h` prints the usage on stdout and exits 0; an unknown option
 * prints why and the usage on stderr and exits 2, before doing anything. The CLIs run compiled
 * (`npm run build` first; npm test does). The audit CLI has its own tests (audit.spec.ts).
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLIS = {
  token: 'dist/apps/cli/src/token.js',
  'projections:rebuild': 'dist/apps/cli/src/projections/rebuild.js',
  'docs:events': 'dist/apps/cli/src/docs/generate-events-doc.js',
  audit: 'dist/apps/cli/src/audit/main.js',
  store: 'dist/apps/cli/src/store/main.js',
} as const;

function run(cli: keyof typeof CLIS, args: string[], dataDir: string) {
  const file = join(ROOT, CLIS[cli]);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  // A scratch cwd: docs:events must not find the repository (it would write there); a scratch DATA_DIR.
  const result = spawnSync(process.execPath, [file, ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each(Object.keys(CLIS) as (keyof typeof CLIS)[])('the %s command line', (cli) => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'csp-cli-'));
  });

  it.each(['--help', '-h'])('%s: the usage on stdout, exit 0, nothing done', (help) => {
    const result = run(cli, [help], dataDir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage:/);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('an unknown option: the reason and the usage on stderr, exit 2, nothing done', () => {
    // With every argument that would otherwise make the command run.
    const valid = {
      token: ['--role', 'admin-agent'],
      'projections:rebuild': ['all'],
      'docs:events': ['--check'],
      audit: ['check-report', 'report.csv'],
      store: ['verify', 'backup.tar'],
    }[cli];
    const result = run(cli, [...valid, '--bogus'], dataDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Unknown option '--bogus'/);
    expect(result.stderr).toContain('Usage:');
    expect(result.stdout).toBe('');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('the token command line', () => {
  it('keeps its options: a tenant GUID in either case is the same tenant, written lower-case in the token', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'csp-cli-'));
    const tid = '0F8FAD5B-D9CB-469F-A165-70867728950E';
    const result = run('token', ['--role', 'global-admin,account-admin', '--tid', tid, '--sub', 'alice', '--ttl', '60'], dataDir);
    expect(result.code).toBe(0);
    const [header, body, signature] = result.stdout.trim().split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    expect(payload).toEqual(expect.objectContaining({ sub: 'alice', tid: tid.toLowerCase(), roles: ['global-admin', 'account-admin'] }));
    expect(payload.exp - payload.iat).toBe(60);
    // HS256 with the development secret `npm start` keeps in DATA_DIR, checked here by hand.
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const secret = readFileSync(join(dataDir, 'secrets', 'jwt-secret'), 'utf8').trim();
    expect(createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url')).toBe(signature);
    expect(run('token', ['--role', 'admin-agent', '--tid', 'not-a-guid'], dataDir)).toEqual(
      expect.objectContaining({ code: 2, stderr: expect.stringMatching(/^--tid must be a GUID/) }),
    );
    expect(run('token', [], dataDir)).toEqual(expect.objectContaining({ code: 2, stderr: expect.stringMatching(/^--role is required/) }));
  });
});
