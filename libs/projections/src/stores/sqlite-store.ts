import Database from 'better-sqlite3';
import { CheckpointConflictError, ReadModelStoreUnavailableError } from './port';
import type * as port from './port';

/*
 * The embedded default's read models, on disk beside the event store (DATA_DIR/read-models.sqlite):
 *   generations   the generation queries read, per model (absent = 1)
 *   checkpoints   per model and generation, the position of the last event applied
 *   documents     per model, generation and key, a JSON document
 *   entries       per model, generation and index, its entries; the primary key keeps them in
 *                 byte order (SQLite's BINARY collation compares UTF-8 bytes, as Redis's BYLEX does)
 *   leases        per model, who applies events and until when (ms since the epoch)
 *   fingerprints  per model, what built it (the composition root rebuilds a model whose projection changed)
 * A batch's changes and its checkpoint are one transaction, so a crash leaves a model at a checkpoint,
 * never between two; several processes (the API, a rebuild) share the file through SQLite's locks.
 */
const SCHEMA_VERSION = 1;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS generations (model TEXT PRIMARY KEY, current INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS checkpoints (model TEXT NOT NULL, generation INTEGER NOT NULL, position TEXT NOT NULL, PRIMARY KEY (model, generation)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS documents (model TEXT NOT NULL, generation INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (model, generation, key)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS entries (model TEXT NOT NULL, generation INTEGER NOT NULL, idx TEXT NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (model, generation, idx, entry)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS leases (model TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS fingerprints (model TEXT PRIMARY KEY, fingerprint TEXT NOT NULL) WITHOUT ROWID;
`;

export class SqliteReadModelStore implements port.ReadModelStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      // Read models are rebuilt from the event store: a power cut may drop the last batches (their
      // checkpoint with them), never tear one. NORMAL spares an fsync per batch.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION)
        throw new Error(`${file} holds read models of a newer version (${version}) than this program understands (${SCHEMA_VERSION})`);
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (error) {
      throw new Error(`Cannot open the read models ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** SQLite refusing to read or write (a full disk, an I/O error) is the store being unavailable; a conflict is itself. */
  private run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (error instanceof CheckpointConflictError) return Promise.reject(error);
      if (error instanceof Database.SqliteError || (error instanceof TypeError && !this.db.open)) {
        return Promise.reject(new ReadModelStoreUnavailableError(`The read models cannot be used: ${error.message}`, { cause: error }));
      }
      return Promise.reject(error as Error);
    }
  }

  private current(model: string): number {
    const row = this.statement('SELECT current FROM generations WHERE model = ?').get(model) as { current: number } | undefined;
    return row?.current ?? 1;
  }

  private checkpointOf(ns: port.Namespace): string | undefined {
    const row = this.statement('SELECT position FROM checkpoints WHERE model = ? AND generation = ?').get(ns.model, ns.generation) as
      { position: string } | undefined;
    return row?.position;
  }

  currentGeneration(model: string): Promise<number> {
    return this.run(() => this.current(model));
  }

  switchGeneration(model: string, generation: number): Promise<void> {
    return this.run(() => {
      this.statement('INSERT INTO generations (model, current) VALUES (?, ?) ON CONFLICT (model) DO UPDATE SET current = excluded.current').run(
        model,
        generation,
      );
    });
  }

  checkpoint(ns: port.Namespace): Promise<string | undefined> {
    return this.run(() => this.checkpointOf(ns));
  }

  commit(ns: port.Namespace, request: port.CommitRequest): Promise<void> {
    const { model, generation } = ns;
    const apply = this.db.transaction(() => {
      if (request.leaseOwner !== undefined) {
        const lease = this.statement('SELECT owner FROM leases WHERE model = ? AND until > ?').get(model, Date.now()) as { owner: string } | undefined;
        if (lease?.owner !== request.leaseOwner) throw new CheckpointConflictError(`The lease on ${model} is held by another projector`);
      }
      if (request.requireCurrentGeneration && this.current(model) !== generation) {
        throw new CheckpointConflictError(`${model}#${generation} is no longer the current generation`);
      }
      const stored = this.checkpointOf(ns);
      if (stored !== request.expectedCheckpoint)
        throw new CheckpointConflictError(`Checkpoint of ${model}#${generation} is ${stored}, not ${request.expectedCheckpoint}`);
      const put = this.statement('INSERT INTO documents (model, generation, key, value) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value');
      const del = this.statement('DELETE FROM documents WHERE model = ? AND generation = ? AND key = ?');
      const add = this.statement('INSERT OR IGNORE INTO entries (model, generation, idx, entry) VALUES (?, ?, ?, ?)');
      const remove = this.statement('DELETE FROM entries WHERE model = ? AND generation = ? AND idx = ? AND entry = ?');
      for (const op of request.ops) {
        switch (op.op) {
          case 'put':
            put.run(model, generation, op.key, JSON.stringify(op.value));
            break;
          case 'del':
            del.run(model, generation, op.key);
            break;
          case 'index-add':
            add.run(model, generation, op.index, op.entry);
            break;
          case 'index-remove':
            remove.run(model, generation, op.index, op.entry);
            break;
        }
      }
      this.statement(
        'INSERT INTO checkpoints (model, generation, position) VALUES (?, ?, ?) ON CONFLICT (model, generation) DO UPDATE SET position = excluded.position',
      ).run(model, generation, request.checkpoint);
    });
    // IMMEDIATE: take the write lock before reading the checkpoint, so two writers cannot both see it unchanged.
    return this.run(() => apply.immediate());
  }

  get(ns: port.Namespace, key: string): Promise<unknown | undefined> {
    return this.run(() => {
      const row = this.statement('SELECT value FROM documents WHERE model = ? AND generation = ? AND key = ?').get(ns.model, ns.generation, key) as
        { value: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    });
  }

  getMany(ns: port.Namespace, keys: readonly string[]): Promise<(unknown | undefined)[]> {
    return this.run(() => {
      const one = this.statement('SELECT value FROM documents WHERE model = ? AND generation = ? AND key = ?');
      return keys.map((key) => {
        const row = one.get(ns.model, ns.generation, key) as { value: string } | undefined;
        return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
      });
    });
  }

  entries(ns: port.Namespace, index: string, range: port.EntryRange = {}): Promise<string[]> {
    return this.run(() => {
      const conditions = ['model = ?', 'generation = ?', 'idx = ?'];
      const values: (string | number)[] = [ns.model, ns.generation, index];
      const bound = (condition: string, value: string | number | undefined) => {
        if (value === undefined) return;
        conditions.push(condition);
        values.push(value);
      };
      bound('entry >= ?', range.from);
      bound('entry > ?', range.after);
      bound('entry < ?', range.before);
      // SQLite takes an offset only after a limit; -1 is none.
      const page = range.limit !== undefined || range.offset !== undefined ? ' LIMIT ? OFFSET ?' : '';
      if (page) values.push(range.limit ?? -1, range.offset ?? 0);
      const rows = this.statement(`SELECT entry FROM entries WHERE ${conditions.join(' AND ')} ORDER BY entry${page}`)
        .raw()
        .all(...values) as [string][];
      return rows.map(([entry]) => entry);
    });
  }

  dump(ns: port.Namespace): Promise<port.ReadModelDump> {
    return this.run(() => {
      const docs: Record<string, unknown> = {};
      const rows = this.statement('SELECT key, value FROM documents WHERE model = ? AND generation = ? ORDER BY key').all(ns.model, ns.generation) as {
        key: string;
        value: string;
      }[];
      for (const { key, value } of rows) docs[key] = JSON.parse(value);
      const indexes: Record<string, string[]> = {};
      const entries = this.statement('SELECT idx, entry FROM entries WHERE model = ? AND generation = ? ORDER BY idx, entry').all(ns.model, ns.generation) as {
        idx: string;
        entry: string;
      }[];
      for (const { idx, entry } of entries) (indexes[idx] ??= []).push(entry);
      const checkpoint = this.checkpointOf(ns);
      return { ...(checkpoint !== undefined ? { checkpoint } : {}), docs, indexes };
    });
  }

  drop(ns: port.Namespace): Promise<void> {
    const drop = this.db.transaction(() => {
      for (const table of ['documents', 'entries', 'checkpoints'])
        this.statement(`DELETE FROM ${table} WHERE model = ? AND generation = ?`).run(ns.model, ns.generation);
    });
    return this.run(() => drop.immediate());
  }

  acquireLease(model: string, owner: string, ttlMs: number): Promise<boolean> {
    const acquire = this.db.transaction(() => {
      const now = Date.now();
      const lease = this.statement('SELECT owner, until FROM leases WHERE model = ?').get(model) as { owner: string; until: number } | undefined;
      if (lease && lease.owner !== owner && lease.until > now) return false;
      this.statement(
        'INSERT INTO leases (model, owner, until) VALUES (?, ?, ?) ON CONFLICT (model) DO UPDATE SET owner = excluded.owner, until = excluded.until',
      ).run(model, owner, now + ttlMs);
      return true;
    });
    return this.run(() => acquire.immediate());
  }

  releaseLease(model: string, owner: string): Promise<void> {
    return this.run(() => {
      this.statement('DELETE FROM leases WHERE model = ? AND owner = ?').run(model, owner);
    });
  }

  leaseHolder(model: string): Promise<string | undefined> {
    return this.run(() => {
      const lease = this.statement('SELECT owner FROM leases WHERE model = ? AND until > ?').get(model, Date.now()) as { owner: string } | undefined;
      return lease?.owner;
    });
  }

  /** What built a model's read model, as recorded by `recordFingerprint`; undefined for one never recorded. */
  fingerprint(model: string): Promise<string | undefined> {
    return this.run(
      () => (this.statement('SELECT fingerprint FROM fingerprints WHERE model = ?').get(model) as { fingerprint: string } | undefined)?.fingerprint,
    );
  }

  recordFingerprint(model: string, fingerprint: string): Promise<void> {
    return this.run(() => {
      this.statement('INSERT INTO fingerprints (model, fingerprint) VALUES (?, ?) ON CONFLICT (model) DO UPDATE SET fingerprint = excluded.fingerprint').run(
        model,
        fingerprint,
      );
    });
  }

  /** Every generation of a model, gone: what starting it over from the first event needs. */
  forget(model: string): Promise<void> {
    const forget = this.db.transaction(() => {
      for (const table of ['documents', 'entries', 'checkpoints', 'generations', 'fingerprints'])
        this.statement(`DELETE FROM ${table} WHERE model = ?`).run(model);
    });
    return this.run(() => forget.immediate());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
