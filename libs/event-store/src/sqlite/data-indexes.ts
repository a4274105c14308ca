import type Database from 'better-sqlite3';
import type { Logger } from '@csp/config';
import { checkDataIndex, type CheckedDataIndex } from '../data-index';
import type * as port from '../port';
import type { EventRow } from './rows';

// The data indexes (port.ts DataIndex) on the embedded store: partial expression indexes on the
// events table, which SQLite maintains in each append's transaction. A query uses one only when its
// expressions and its type condition are the index's own, so both are written by the same function.

const field = (path: readonly string[]) => `json_extract(data, '$.${path.join('.')}')`;
const byType = (index: CheckedDataIndex, part: 'key' | 'at') =>
  `(CASE type ${index.types.map((t) => `WHEN '${t.type}' THEN ${field(t[part])}`).join(' ')} END)`;
const typeCondition = (index: CheckedDataIndex) => `type IN (${index.types.map((t) => `'${t.type}'`).join(', ')})`;

/** Builds each declared index the file does not have yet (once: over the whole history), saying so in the log. */
export function ensureDataIndexes(db: Database.Database, indexes: readonly port.DataIndex[], logger: Logger | undefined): void {
  for (const declared of indexes) {
    const index = checkDataIndex(declared);
    if (hasIndex(db, index)) continue;
    const started = Date.now();
    logger?.info('Building an index of the event store (once, over the whole history)', { index: index.storedName });
    // This connection waits for another process's write lock longer than the usual 5 s (another
    // process building the same index, say). Another process writing meanwhile waits only its own
    // busy timeout for this build's lock, so its appends fail during a long build: the build is
    // made once, at the first start of a release that declares the index, before the API serves
    // (the root runs it on a worker thread, prepare-aside.ts, while the API answers liveness).
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 600000');
    try {
      db.exec(`CREATE INDEX IF NOT EXISTS "${index.storedName}" ON events (${byType(index, 'key')}, ${byType(index, 'at')}) WHERE ${typeCondition(index)}`);
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
    logger?.info('Event store index built', { index: index.storedName, ms: Date.now() - started });
  }
}

export const hasIndex = (db: Database.Database, index: CheckedDataIndex) =>
  db.prepare<[string], { found: number }>(`SELECT 1 AS found FROM sqlite_master WHERE type = 'index' AND name = ?`).get(index.storedName) !== undefined;

/** Reads pages of the indexes the file has; an index it does not have reads as undefined (see the port). */
export class DataIndexReader {
  private readonly statements = new Map<string, Database.Statement<unknown[], EventRow>>();

  constructor(private readonly db: Database.Database) {}

  page(declared: port.DataIndex, key: string, from: string, before: string, after: number, limit: number): EventRow[] | undefined {
    const index = checkDataIndex(declared);
    let statement = this.statements.get(index.storedName);
    if (!statement) {
      // Looked up again each time until found: another process may build it meanwhile.
      if (!hasIndex(this.db, index)) return undefined;
      const at = byType(index, 'at');
      statement = this.db.prepare<unknown[], EventRow>(
        `SELECT * FROM events INDEXED BY "${index.storedName}"
         WHERE ${typeCondition(index)} AND ${byType(index, 'key')} = ? AND ${at} >= ? AND ${at} < ? AND position > ?
         ORDER BY position LIMIT ?`,
      );
      this.statements.set(index.storedName, statement);
    }
    return statement.all(key, from, before, after, limit);
  }
}
