import Database from 'better-sqlite3';

export interface SnapshotProgress {
  readonly copiedPages: number;
  readonly totalPages: number;
}

/** Pages per backup step (4 MiB at SQLite's default page size): progress often enough, few steps. */
const PAGES_PER_STEP = 1000;

/**
 * A consistent copy of an SQLite file that another process may be writing (WAL mode), through
 * SQLite's online backup API, into `destination` (a new file). The copy is taken in steps inside
 * one read transaction held on the source, so every step reads the same committed state: writers
 * go on meanwhile (a WAL reader never blocks them) and the copy is of the instant the transaction
 * began. Without it, every commit of another process would restart the copy from the first page,
 * and under steady writes it would never end. The destination is not synced: the caller syncs
 * what it keeps. Resolves with the pages copied.
 */
export async function snapshotSqliteFile(source: string, destination: string, onProgress?: (progress: SnapshotProgress) => void): Promise<SnapshotProgress> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN');
    // A deferred transaction takes its snapshot at its first read; this is it (and SQLITE_NOTADB for a file that is not SQLite).
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const done = await db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        return PAGES_PER_STEP;
      },
    });
    db.exec('COMMIT');
    selfContained(destination);
    return { copiedPages: done.totalPages, totalPages: done.totalPages };
  } finally {
    db.close();
  }
}

/**
 * The copy keeps the source's journal mode, WAL, whose readers need a -wal and -shm beside the file
 * (and a read-only reader cannot remove them). In rollback-journal mode the copy is one file that
 * reads the same; a store opened on it later puts it back into WAL.
 */
function selfContained(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}
