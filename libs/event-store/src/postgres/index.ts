export { openPostgresEventStore, PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { isUnavailable as isPostgresUnavailable } from './errors';
