import type { KurrentDBClient, PersistentSubscriptionToAllSettings } from '@kurrent/kurrentdb-client';

/** The group back-office services join: competing consumers share the order events between them. */
export const BACK_OFFICE_GROUP = 'back-office';
/** The order category: every `order-<orderId>` stream. */
export const ORDER_CATEGORY_STREAM = 'order-';

/**
 * Creates, once, the persistent subscription back-office consumers connect to: every event of the
 * order category, delivered to the group's members in turn (round robin), each acknowledged or
 * retried, parked after 10 failures. It is a filtered $all subscription on the `order-` stream
 * prefix, so it needs no system projection ($ce-order) on the server. Idempotent.
 */
export async function ensureBackOfficeSubscription(
  client: Pick<KurrentDBClient, 'createPersistentSubscriptionToAll'>,
  overrides: Partial<PersistentSubscriptionToAllSettings> = {},
): Promise<'created' | 'exists'> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { persistentSubscriptionToAllSettingsFromDefaults, streamNameFilter, START } = require('@kurrent/kurrentdb-client') as typeof import('@kurrent/kurrentdb-client');
  const settings = persistentSubscriptionToAllSettingsFromDefaults({
    startFrom: START,
    consumerStrategyName: 'RoundRobin',
    maxRetryCount: 10,
    messageTimeout: 30_000,
    checkPointAfter: 2_000,
    ...overrides,
  });
  try {
    await client.createPersistentSubscriptionToAll(BACK_OFFICE_GROUP, settings, { filter: streamNameFilter({ prefixes: [ORDER_CATEGORY_STREAM] }) });
    return 'created';
  } catch (error) {
    if ((error as { constructor?: { name?: string } })?.constructor?.name === 'PersistentSubscriptionExistsError') return 'exists';
    throw error;
  }
}
