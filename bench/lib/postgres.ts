import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the PostgreSQL benchmarks use (POSTGRES_URL). */
export const POSTGRES_SERVER = process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database of the benchmark's own on the server; `drop` ends what is still connected. */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `csp_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: POSTGRES_SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
