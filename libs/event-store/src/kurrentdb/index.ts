export { KurrentDbEventStore, openKurrentDbEventStore, type KurrentDbEventStoreOptions, type KurrentSubscribeOptions } from './kurrentdb-event-store';
export { connect as connectKurrentDb, normaliseConnectionString, type KurrentClient } from './client';
export { ensureBackOfficeSubscription, BACK_OFFICE_GROUP, ORDER_CATEGORY_STREAM } from './persistent-subscriptions';
