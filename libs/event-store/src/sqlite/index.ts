export { openSqliteEventStore, SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
export { NotAnEventStoreError } from './database';
