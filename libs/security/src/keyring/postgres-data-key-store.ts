import { Pool, type PoolClient } from 'pg';
import { EventStoreUnavailableError } from '@csp/event-store/port';
import { isPostgresUnavailable } from '@csp/event-store/postgres';
import type { DataKeyEntry, DataKeyRecord, DataKeyStore, WrappedDataKey } from './data-key-store';

interface Row {
  dek_id: string | null;
  kid: string | null;
  iv: string | null;
  tag: string | null;
  ciphertext: string | null;
  created_at: string | null;
  destroyed_at: string | null;
}

/** Any constant: every process creating the keyring's tables takes the same lock first. */
const SCHEMA_LOCK = 0x0c5e_0002;

/**
 * The shared keyring of a PostgreSQL install, in the event store's database: one row per tenant
 * in `data_keys` holding its wrapped data key. Destroying deletes that row — the wrapped key is
 * not kept anywhere, not even blanked — and records the fact and the instant in
 * `destroyed_data_keys`, so the tenant can never get a new key. Then the table is vacuumed, so
 * the dead row's space is reclaimed rather than left for later.
 */
export class PostgresDataKeyStore implements DataKeyStore {
  private readonly pool: Pool;
  private ready: Promise<void> | undefined;

  constructor(connectionString: string) {
    this.pool = new Pool({ connectionString, max: 2, connectionTimeoutMillis: 5_000, keepAlive: true, application_name: 'csp-keyring' });
    // An idle connection the server ends is dropped by the pool; unlistened, its 'error' would end the process.
    this.pool.on('error', () => undefined);
  }

  read(tenantId: string): Promise<DataKeyRecord> {
    return unavailableAsPort(this.readKey(tenantId));
  }

  /** The first of concurrent creators wins; a destroyed tenant gets no new key. */
  create(tenantId: string, key: WrappedDataKey): Promise<DataKeyRecord> {
    return unavailableAsPort(this.createKey(tenantId, key));
  }

  destroy(tenantId: string, at: string): Promise<void> {
    return unavailableAsPort(this.destroyKey(tenantId, at));
  }

  /** Reads only: a database whose keyring tables were never created has no entries (and still none). */
  async *entries(): AsyncGenerator<DataKeyEntry> {
    const rows = await unavailableAsPort(this.allRows());
    for (const row of rows) yield { tenantId: row.tenant_id, record: recordOf(row) as DataKeyEntry['record'] };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async allRows(): Promise<(Row & { tenant_id: string })[]> {
    const { rows: tables } = await this.pool.query<{ found: boolean }>(`SELECT to_regclass('data_keys') IS NOT NULL AS found`);
    if (!tables[0]?.found) return [];
    const { rows } = await this.pool.query<Row & { tenant_id: string }>(
      `SELECT tenant_id, k.dek_id, k.kid, k.iv, k.tag, k.ciphertext, k.created_at, d.destroyed_at
       FROM data_keys k FULL JOIN destroyed_data_keys d USING (tenant_id) ORDER BY tenant_id`,
    );
    return rows;
  }

  private async readKey(tenantId: string): Promise<DataKeyRecord> {
    await this.schema();
    const { rows } = await this.pool.query<Row>(
      `SELECT k.dek_id, k.kid, k.iv, k.tag, k.ciphertext, k.created_at, d.destroyed_at
       FROM (SELECT $1::text AS tenant_id) t
       LEFT JOIN data_keys k USING (tenant_id)
       LEFT JOIN destroyed_data_keys d USING (tenant_id)`,
      [tenantId],
    );
    return recordOf(rows[0]);
  }

  private async createKey(tenantId: string, key: WrappedDataKey): Promise<DataKeyRecord> {
    await this.schema();
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, tenantId]);
      await client.query(
        `INSERT INTO data_keys (tenant_id, dek_id, kid, iv, tag, ciphertext, created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM destroyed_data_keys WHERE tenant_id = $1)
         ON CONFLICT (tenant_id) DO NOTHING`,
        [tenantId, key.dekId, key.kid, key.iv, key.tag, key.ciphertext, key.createdAt],
      );
    });
    return this.readKey(tenantId);
  }

  private async destroyKey(tenantId: string, at: string): Promise<void> {
    await this.schema();
    await this.inTransaction(async (client) => {
      // The same lock as create: a key being created now is either there to delete or refused.
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SCHEMA_LOCK, tenantId]);
      await client.query('INSERT INTO destroyed_data_keys (tenant_id, destroyed_at) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING', [tenantId, at]);
      await client.query('DELETE FROM data_keys WHERE tenant_id = $1', [tenantId]);
    });
    await this.pool.query('VACUUM data_keys');
  }

  /** Creates the tables once per process, under a lock, so processes starting together do not collide. */
  private schema(): Promise<void> {
    this.ready ??= this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS data_keys (
        tenant_id text PRIMARY KEY, dek_id text NOT NULL, kid text NOT NULL, iv text NOT NULL, tag text NOT NULL, ciphertext text NOT NULL, created_at text NOT NULL)`);
      await client.query('CREATE TABLE IF NOT EXISTS destroyed_data_keys (tenant_id text PRIMARY KEY, destroyed_at text NOT NULL)');
    }).catch((error: unknown) => {
      // Not remembered: the next call tries again (the server may be back).
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async inTransaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      broken ??= error instanceof Error ? error : undefined;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}

function recordOf(row: Row | undefined): DataKeyRecord {
  if (row?.destroyed_at) return { state: 'destroyed', destroyedAt: row.destroyed_at };
  if (!row?.dek_id) return { state: 'none' };
  return { state: 'active', key: { dekId: row.dek_id, kid: row.kid!, iv: row.iv!, tag: row.tag!, ciphertext: row.ciphertext!, createdAt: row.created_at! } };
}

/** The keyring lives in the event store's database: a server that is away is the store unavailable (503), not a failure (500). */
async function unavailableAsPort<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isPostgresUnavailable(error)) throw new EventStoreUnavailableError(`The keyring (PostgreSQL) is unavailable: ${(error as Error).message}`, error);
    throw error;
  }
}
