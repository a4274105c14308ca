import type { Pool } from 'pg';
import type { Logger } from '@csp/config';
import { checkDataIndex, type CheckedDataIndex } from '../data-index';
import type * as port from '../port';

// The data indexes (port.ts DataIndex) on PostgreSQL: partial expression indexes on the events
// table, maintained by the server in each append's transaction and built CONCURRENTLY, so that
// appends go on while a large history is indexed. A query uses one only when its expressions and
// its type condition are the index's own, so both are written by the same functions. Instants
// compare in the "C" collation: byte order, which for ISO-8601 text is time order, whatever the
// database's locale says about punctuation.

const field = (path: readonly string[]) => `(data #>> '{${path.join(',')}}')`;
const byType = (index: CheckedDataIndex, part: 'key' | 'at') =>
  `((CASE type ${index.types.map((t) => `WHEN '${t.type}' THEN ${field(t[part])}`).join(' ')} END) COLLATE "C")`;

const typeCondition = (index: CheckedDataIndex) => `type IN (${index.types.map((t) => `'${t.type}'`).join(', ')})`;

/** The SQL of a read: the conditions (parameters $1 key, $2 from, $3 before, numbered from there on by the caller). */
export function indexedConditions(index: CheckedDataIndex): string {
  const at = byType(index, 'at');
  return `${typeCondition(index)} AND ${byType(index, 'key')} = $1 AND ${at} >= $2 AND ${at} < $3`;
}

/** Any constant every process agrees on: one builder at a time, the others find its work done. */
const INDEX_LOCK = 0x0c5e_0002;

/** Whether the database has the index, built and valid (a CONCURRENTLY build that failed leaves an invalid one). */
export async function hasDataIndex(db: { query: Pool['query'] }, index: CheckedDataIndex): Promise<boolean> {
  const { rows } = await db.query<{ valid: boolean | null }>('SELECT (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)) AS valid', [
    `"${index.storedName}"`,
  ]);
  return rows[0]?.valid === true;
}

/** How long a process waits between two looks at whether another one has built the indexes. */
const BUILDER_POLL_MS = 500;

/**
 * Builds each declared index the database does not have yet (once: over the whole history), saying
 * so in the log. One process builds; the others look again every BUILDER_POLL_MS with
 * pg_try_advisory_lock rather than wait inside pg_advisory_lock: a session waiting in a statement
 * holds a snapshot, which the builder's CREATE INDEX CONCURRENTLY would wait for in turn (a deadlock).
 */
export async function ensureDataIndexes(pool: Pool, indexes: readonly port.DataIndex[], logger: Logger | undefined): Promise<void> {
  if (indexes.length === 0) return;
  const checked = indexes.map(checkDataIndex);
  const client = await pool.connect();
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure = error;
  };
  client.on('error', onError);
  try {
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [INDEX_LOCK]);
      if (rows[0]?.locked) break;
      if ((await Promise.all(checked.map((index) => hasDataIndex(client, index)))).every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, BUILDER_POLL_MS));
    }
    try {
      for (const index of checked) {
        if (await hasDataIndex(client, index)) continue;
        const started = Date.now();
        logger?.info('Building an index of the event store (once, over the whole history; appends go on)', { index: index.storedName });
        await client.query(`DROP INDEX CONCURRENTLY IF EXISTS "${index.storedName}"`);
        await client.query(
          `CREATE INDEX CONCURRENTLY "${index.storedName}" ON events (${byType(index, 'key')}, ${byType(index, 'at')}) WHERE ${typeCondition(index)}`,
        );
        // Statistics on the new expressions, so that the planner sees how few rows one key has.
        await client.query('ANALYZE events');
        logger?.info('Event store index built', { index: index.storedName, ms: Date.now() - started });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [INDEX_LOCK]);
    }
  } catch (error) {
    failure ??= error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(failure);
  }
}
