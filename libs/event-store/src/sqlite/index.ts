export { openSqliteEventStore, SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
export { snapshotSqliteFile, type SnapshotProgress } from './snapshot';
export { prepareSqliteFileAside } from './prepare-aside';
