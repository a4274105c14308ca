import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the PostgreSQL suites use; each test run makes databases of its own there and drops them. */
const POSTGRES_URL = process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The same server, another database. */
function databaseUrl(database: string, base = POSTGRES_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The password in a URL, redacted, for messages. */
const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/** Runs a small script with `pg` in a child process and returns what it printed: jest declares tests synchronously. */
function runSync(script: string): string {
  try {
    return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000, cwd: __dirname });
  } catch (error) {
    return (error as { stdout?: string }).stdout || (error as Error).message;
  }
}

const withClient = (body: string) => `
  const { Client } = require('pg');
  const c = new Client({ connectionString: ${JSON.stringify(POSTGRES_URL)}, connectionTimeoutMillis: 3000 });
  c.on('error', () => {});
  c.connect().then(async () => { ${body} }).then(() => c.end(), (e) => { process.stdout.write('ERROR ' + (e && e.message)); return c.end().catch(() => {}); });
`;

/**
 * Whether the PostgreSQL suites can run, decided synchronously because jest declares tests before
 * anything is awaited. With REQUIRE_POSTGRES=1 (CI) a server that does not answer fails the suite;
 * elsewhere the suite is skipped with one loud line on stderr (jest drops console output of a file
 * whose tests are all skipped), never silently.
 */
export function postgresForTests(suite: string): boolean {
  const answer = runSync(withClient(`await c.query('SELECT 1'); process.stdout.write('OK');`));
  if (answer === 'OK') return true;
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL does not answer at ${redact(POSTGRES_URL)}: ${answer}`);
  process.stderr.write(
    `\nPOSTGRES TESTS SKIPPED (${suite}): PostgreSQL does not answer at ${redact(POSTGRES_URL)} (${answer.trim()}); start it or set POSTGRES_URL, and REQUIRE_POSTGRES=1 to make this a failure\n`,
  );
  return false;
}

/** A fresh database name no other run shares. */
export const testDatabaseName = () => `csp_test_${randomBytes(6).toString('hex')}`;

/** Creates a database synchronously (shapes name their state synchronously); returns its URL. */
export function createDatabaseSync(name: string): string {
  const answer = runSync(withClient(`await c.query('CREATE DATABASE ${name}'); process.stdout.write('OK');`));
  if (answer !== 'OK') throw new Error(`cannot create the test database ${name}: ${answer}`);
  return databaseUrl(name);
}

/** Drops a test database, ending whatever is still connected to it. */
export async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A database of its own for a test file: `drop` in its afterAll. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = testDatabaseName();
  const client = new Client({ connectionString: POSTGRES_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/**
 * Ends every connection the product holds to `database` (what an operator's
 * pg_terminate_backend or a failover does to it), from a connection of the test's own.
 */
export async function terminateConnections(database: string): Promise<number> {
  const client = new Client({ connectionString: POSTGRES_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return rows.filter((r) => r.terminated).length;
  } finally {
    await client.end();
  }
}
