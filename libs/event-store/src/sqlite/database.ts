import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from '@csp/config';
import { MIGRATIONS, PRAGMAS, SCHEMA_VERSION } from './schema';
import { inspectWal } from './wal-inspection';
import { NotAnEventStoreError } from '../port';

/**
 * When to run SQLite's integrity check at open: after an unclean stop only, or at every open;
 * `checked`: it was run at this start already, on the file as it is (prepare-aside.ts).
 */
export type IntegrityCheck = 'auto' | 'always' | 'checked';

/**
 * Written beside the file when its check fails, removed when one passes. A failed open closes the
 * file, and that close removes the write-ahead log, the sign of an unclean stop: without the
 * marker, the next start would skip the check and serve the damaged file.
 */
export const damageMarkerOf = (file: string) => `${file}-damaged`;

/**
 * Opens the event store file ready for use: durable pragmas, an integrity check after an unclean
 * stop (or whenever asked: it reads the whole file), and the schema migrated to this program's
 * version. Refuses to start, naming the file, rather than run on a damaged or newer-than-understood
 * store.
 *
 * With `readOnly`, for readers that must not change what they read (the audit CLI): see
 * openReadOnly.
 */

export function openEventStoreDatabase(
  file: string,
  logger?: Logger,
  options: { readonly readOnly?: boolean; readonly integrityCheck?: IntegrityCheck } = {},
): Database.Database {
  // A write-ahead log left beside the file means the last writer did not close it (SQLite removes
  // it at a clean close) — or another process has it open, when checking costs time, not safety.
  const unclean = existsSync(`${file}-wal`);
  refuseDamagedWal(file, logger);
  if (options.readOnly) return openReadOnly(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new Error(`Cannot open the event store ${file}: ${messageOf(error)}`, { cause: error });
  }
  try {
    for (const pragma of PRAGMAS) db.pragma(pragma);
    const damaged = existsSync(damageMarkerOf(file));
    if (options.integrityCheck !== 'checked' && (options.integrityCheck === 'always' || unclean || damaged)) {
      const started = Date.now();
      try {
        checkIntegrity(db, file);
      } catch (error) {
        writeFileSync(damageMarkerOf(file), `${new Date().toISOString()} ${messageOf(error)}\n`);
        throw error;
      }
      rmSync(damageMarkerOf(file), { force: true });
      const reason = damaged ? 'found damaged before' : unclean ? 'not closed cleanly' : 'asked for';
      logger?.info('Event store integrity checked', { file, reason, ms: Date.now() - started });
    }
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Before SQLite recovers (or, read-only, reads) a WAL left by an unclean stop, say what it will keep and drop. */
function refuseDamagedWal(file: string, logger: Logger | undefined): void {
  const wal = inspectWal(file);
  if (wal && wal.committedFrames === 0 && wal.bytes > 32 && /header/.test(wal.reason ?? '')) {
    // SQLite would silently ignore the whole log, and with it every transaction committed since the last checkpoint.
    throw new Error(
      `The event store ${file} has a write-ahead log whose header is damaged (${wal.reason}); starting would discard ${wal.bytes} bytes that may hold committed events. ` +
        `Restore the file and its -wal from a backup, or move ${file}-wal aside to accept the loss.`,
    );
  }
  if (wal && wal.discardedBytes > 0) {
    logger?.warn(
      'The event store was not closed cleanly: its write-ahead log has a torn or corrupted tail, which recovery drops; every committed transaction before it is kept',
      {
        file,
        walBytes: wal.bytes,
        committedTransactionsKept: wal.commits,
        discardedBytes: wal.discardedBytes,
        reason: wal.reason,
      },
    );
  }
}

/**
 * Read-only: the file must exist and already be an event store of this program's schema version;
 * nothing is created, migrated or set (the journal mode is the writer's), so pointing a reader at
 * the wrong file changes nothing. SQLite reads a WAL-mode store this way while another process
 * writes it, through the -wal and -shm files beside it; when the store was closed cleanly they are
 * absent and SQLite creates them (empty, owned like the store) if the folder is writable, and a
 * read-only connection cannot remove them: the next writer to close the store does.
 */
function openReadOnly(file: string): Database.Database {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new NotAnEventStoreError(file, `No event store at ${file}`);
  if (!stat.isFile()) throw new NotAnEventStoreError(file, `${file} is not an event store: it is not a file`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`Cannot open the event store ${file}: ${messageOf(error)}`, { cause: error });
  }
  try {
    db.pragma('busy_timeout = 5000');
    checkSchema(db, file, stat.size);
    checkIntegrity(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The store's table as this program's migrations create it, column by column. */
function expectedColumns(): string {
  const scratch = new Database(':memory:');
  try {
    for (const migration of MIGRATIONS) scratch.exec(migration);
    return columnsOf(scratch);
  } finally {
    scratch.close();
  }
}

const columnsOf = (db: Database.Database) => JSON.stringify(db.pragma('table_info(events)'));

/** Whether the file is an event store at this program's schema version (a reader cannot migrate it). */
function checkSchema(db: Database.Database, file: string, bytes: number): void {
  let version: number;
  let columns: string;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    columns = columnsOf(db);
  } catch (error) {
    // SQLite opens any file and finds out on the first read that it is not a database.
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB')
      throw new NotAnEventStoreError(file, `${file} is not an event store: it is not an SQLite database`);
    throw error;
  }
  // Version 0: no migration of ours ever ran on this file, whatever tables it has.
  if (version === 0 || columns === '[]')
    throw new NotAnEventStoreError(
      file,
      `${file} is not an event store: ${bytes === 0 ? 'it is empty (0 bytes)' : columns === '[]' ? 'it has no events table' : 'its schema version is 0'}`,
    );
  if (version > SCHEMA_VERSION)
    throw new Error(`The event store ${file} has schema version ${version}, newer than this program understands (${SCHEMA_VERSION})`);
  if (version < SCHEMA_VERSION)
    throw new Error(
      `The event store ${file} has schema version ${version}, older than this program's (${SCHEMA_VERSION}): start the service on it once to migrate it`,
    );
  if (columns !== expectedColumns()) throw new NotAnEventStoreError(file, `${file} is not an event store: its events table is not the one the store creates`);
}

function checkIntegrity(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (error) {
    // A damaged header or page map fails the check itself rather than reporting through it.
    throw new Error(`The event store ${file} failed its integrity check: ${messageOf(error)}`, { cause: error });
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new Error(`The event store ${file} failed its integrity check: ${problems.join('; ')}`);
  }
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`The event store ${file} has schema version ${version}, newer than this program understands (${SCHEMA_VERSION})`);
  }
  if (version === SCHEMA_VERSION) return;
  // One transaction for all steps: two processes starting together cannot both migrate.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current >= SCHEMA_VERSION) return;
    for (let step = current; step < SCHEMA_VERSION; step++) db.exec(MIGRATIONS[step]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
