import Database from 'better-sqlite3';
import { MIGRATIONS, PRAGMAS, SCHEMA_VERSION } from './schema';
import { inspectWal } from './wal-inspection';

/**
 * Opens the event store file ready for use: durable pragmas, an integrity check, and the schema
 * migrated to this program's version. Refuses to start, naming the file, rather than run on a
 * damaged or newer-than-understood store.
 */
export function openEventStoreDatabase(file: string, logger?: { warn(message: string, fields?: Record<string, unknown>): void }): Database.Database {
  // Before SQLite recovers a WAL left by an unclean stop, say what recovery will keep and drop.
  const wal = inspectWal(file);
  if (wal && wal.committedFrames === 0 && wal.bytes > 32 && /header/.test(wal.reason ?? '')) {
    // SQLite would silently ignore the whole log, and with it every transaction committed since the last checkpoint.
    throw new Error(
      `The event store ${file} has a write-ahead log whose header is damaged (${wal.reason}); starting would discard ${wal.bytes} bytes that may hold committed events. ` +
        `Restore the file and its -wal from a backup, or move ${file}-wal aside to accept the loss.`,
    );
  }
  if (wal && wal.discardedBytes > 0) {
    logger?.warn('The event store was not closed cleanly: its write-ahead log has a torn or corrupted tail, which recovery drops; every committed transaction before it is kept', {
      file,
      walBytes: wal.bytes,
      committedTransactionsKept: wal.commits,
      discardedBytes: wal.discardedBytes,
      reason: wal.reason,
    });
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new Error(`Cannot open the event store ${file}: ${messageOf(error)}`, { cause: error });
  }
  try {
    for (const pragma of PRAGMAS) db.pragma(pragma);
    checkIntegrity(db, file);
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
