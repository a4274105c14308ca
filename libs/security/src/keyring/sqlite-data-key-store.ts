import Database from 'better-sqlite3';
import { KeyringUnavailableError, type DataKeyEntry, type DataKeyRecord, type DataKeyStore, type WrappedDataKey } from './data-key-store';

interface Row {
  dek_id: string;
  kid: string | null;
  iv: string | null;
  tag: string | null;
  ciphertext: string | null;
  created_at: string;
  destroyed_at: string | null;
}

/**
 * The embedded keyring: one row per tenant in its own file. Destroying overwrites the wrapped key
 * (secure_delete) and truncates the WAL, so the bytes do not linger on disk.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;
  /** Prepared once each: a reveal reads its tenant's row, and preparing cost more than the query. */
  private readonly statements = new Map<string, Database.Statement>();

  /** `readOnly` (a copy to another store): the file must be a keyring already; nothing is created or set. */
  constructor(file: string, options: { readonly readOnly?: boolean } = {}) {
    if (options.readOnly) {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
      return;
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      tenant_id TEXT PRIMARY KEY, dek_id TEXT NOT NULL, kid TEXT, iv TEXT, tag TEXT, ciphertext TEXT,
      created_at TEXT NOT NULL, destroyed_at TEXT)`);
  }

  private statement<P extends unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement as unknown as Database.Statement<P, R>;
  }

  async read(tenantId: string): Promise<DataKeyRecord> {
    return unavailableOnFailure(() => this.readRow(tenantId));
  }

  private readRow(tenantId: string): DataKeyRecord {
    const row = this.statement<[string], Row>('SELECT * FROM data_keys WHERE tenant_id = ?').get(tenantId);
    return row ? recordOf(row) : { state: 'none' };
  }

  async *entries(): AsyncGenerator<DataKeyEntry> {
    // All at once (one row per tenant): iterating would keep the connection busy while the caller reads other tenants.
    const rows = unavailableOnFailure(() => this.statement<[], Row & { tenant_id: string }>('SELECT * FROM data_keys ORDER BY tenant_id').all());
    for (const row of rows) yield { tenantId: row.tenant_id, record: recordOf(row) };
  }

  async create(tenantId: string, key: WrappedDataKey): Promise<DataKeyRecord> {
    return unavailableOnFailure(() => {
      this.statement('INSERT OR IGNORE INTO data_keys (tenant_id, dek_id, kid, iv, tag, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        tenantId,
        key.dekId,
        key.kid,
        key.iv,
        key.tag,
        key.ciphertext,
        key.createdAt,
      );
      return this.readRow(tenantId);
    });
  }

  async destroy(tenantId: string, at: string): Promise<void> {
    unavailableOnFailure(() => {
      this.statement(
        `INSERT INTO data_keys (tenant_id, dek_id, created_at, destroyed_at) VALUES (?, 'destroyed', ?, ?)
           ON CONFLICT (tenant_id) DO UPDATE SET kid = NULL, iv = NULL, tag = NULL, ciphertext = NULL, destroyed_at = coalesce(destroyed_at, excluded.destroyed_at)`,
      ).run(tenantId, at, at);
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function recordOf(row: Row): DataKeyEntry['record'] {
  if (row.destroyed_at !== null) return { state: 'destroyed', destroyedAt: row.destroyed_at };
  return { state: 'active', key: { dekId: row.dek_id, kid: row.kid!, iv: row.iv!, tag: row.tag!, ciphertext: row.ciphertext!, createdAt: row.created_at } };
}

/** SQLite refusing to read or write (a full disk, an I/O error, the file locked or closed) is the keyring being unavailable. */
function unavailableOnFailure<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof Database.SqliteError || (error instanceof TypeError && /database connection is not open/.test(error.message))) {
      throw new KeyringUnavailableError(`The keyring cannot be used: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
