/**
 * The embedded store's schema, versioned through SQLite's user_version.
 *
 * Global order is the INTEGER PRIMARY KEY (a rowid, not AUTOINCREMENT): writes are serialised by
 * SQLite's single writer lock and rows are never deleted, so the committed positions are gapless
 * and increase in commit order. A rolled-back insert frees its rowid for the next one, which is
 * harmless because no reader ever saw it.
 */

/** MIGRATIONS[i] takes a file from user_version i to i + 1. Append only; never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    position    INTEGER PRIMARY KEY,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    event_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * WAL with a full fsync of the log at each commit: an append is acknowledged only once it would
 * survive power loss. The busy timeout covers another process holding the write lock briefly.
 */
export const PRAGMAS: readonly string[] = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000'];
