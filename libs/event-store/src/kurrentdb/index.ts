export { KurrentDbEventStore, openKurrentDbEventStore, type KurrentDbEventStoreOptions, type KurrentSubscribeOptions } from './kurrentdb-event-store';
export { type BackOff } from './catch-up-subscription';
export { connect as connectKurrentDb, normaliseConnectionString, type KurrentClient } from './client';
export {
  BACK_OFFICE_GROUP,
  BACK_OFFICE_SUBSCRIPTION_SETTINGS,
  ORDER_CATEGORY_STREAM,
  UnprocessableEventError,
  backOfficeEventOf,
  ensureBackOfficeSubscription,
  type BackOfficeEvent,
  type PersistentSubscriptionAdmin,
  type ResolvedOrderEvent,
} from './persistent-subscriptions';
