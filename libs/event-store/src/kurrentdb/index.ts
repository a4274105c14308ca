export { KurrentDbEventStore, openKurrentDbEventStore, type KurrentDbEventStoreOptions, type KurrentSubscribeOptions } from './kurrentdb-event-store';
export { type BackOff } from './catch-up-subscription';
export { connect as connectKurrentDb, normaliseConnectionString, type KurrentClient } from './client';
export * from './persistent-subscriptions';
