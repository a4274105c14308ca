import type { BaseOptions, PersistentSubscriptionToStreamSettings } from '@kurrent/kurrentdb-client';
import { isPersistentSubscriptionExists } from './errors';

/**
 * The order category: the server's `$by_category` system projection links every event of every
 * `order-<orderId>` stream into it (run projections with `KURRENTDB_RUN_PROJECTIONS=System` and
 * `KURRENTDB_START_STANDARD_PROJECTIONS=true`).
 */
export const ORDER_CATEGORY_STREAM = '$ce-order';

/** The group back-office services (billing, fraud, CRM) join as competing consumers. */
export const BACK_OFFICE_GROUP = 'back-office';

/**
 * Every setting spelled out, so what the server runs is what this file says:
 * - `resolveLinkTos`: the category stream holds links; consumers receive the order events they point to.
 * - `startFrom: 'start'`: a new group sees the whole order history, not only what comes after its creation.
 * - `RoundRobin`: events are shared between the connected members; add members to go faster.
 * - `messageTimeout` 30 s, `maxRetryCount` 10: an event neither acknowledged nor refused in 30 s
 *   is redelivered; after 10 redeliveries (timeouts or `retry` nacks) the server parks it in
 *   `$persistentsubscription-$ce-order::back-office-parked` for an operator to replay.
 * - checkpoints every 2 s, after at least 10 and at most 1,000 acknowledged events: a restarted
 *   server redelivers at most what came after the last checkpoint, so consumers are idempotent.
 * - buffers (live 500, read batch 20, history 500) and unlimited members: the client defaults.
 */
export const BACK_OFFICE_SUBSCRIPTION_SETTINGS: PersistentSubscriptionToStreamSettings = Object.freeze({
  resolveLinkTos: true,
  startFrom: 'start',
  consumerStrategyName: 'RoundRobin',
  messageTimeout: 30_000,
  maxRetryCount: 10,
  checkPointAfter: 2_000,
  checkPointLowerBound: 10,
  checkPointUpperBound: 1_000,
  maxSubscriberCount: 'unbounded',
  liveBufferSize: 500,
  readBatchSize: 20,
  historyBufferSize: 500,
  extraStatistics: false,
});

/** The one client call this module makes; the real client has it, tests pass a fake. */
export interface PersistentSubscriptionAdmin {
  createPersistentSubscriptionToStream(
    streamName: string,
    groupName: string,
    settings: PersistentSubscriptionToStreamSettings,
    options?: BaseOptions,
  ): Promise<void>;
}

/**
 * Creates the back-office group on the order category unless it exists. Safe to call from every
 * consumer at start-up: the one that comes first creates it, the others find it. An existing
 * group keeps its settings (changing them is an explicit update, not a side effect of a restart).
 */
export async function ensureBackOfficeSubscription(client: PersistentSubscriptionAdmin): Promise<'created' | 'exists'> {
  try {
    await client.createPersistentSubscriptionToStream(ORDER_CATEGORY_STREAM, BACK_OFFICE_GROUP, { ...BACK_OFFICE_SUBSCRIPTION_SETTINGS });
    return 'created';
  } catch (error) {
    if (isPersistentSubscriptionExists(error)) return 'exists';
    throw error;
  }
}
