import type { PersistentSubscriptionToStreamSettings } from '@kurrent/kurrentdb-client';
import { BACK_OFFICE_GROUP, BACK_OFFICE_SUBSCRIPTION_SETTINGS, ORDER_CATEGORY_STREAM, ensureBackOfficeSubscription, type PersistentSubscriptionAdmin } from './persistent-subscriptions';
import { FakeKurrentError } from './testing/fake-client';

/** The server's side of group creation: one group per (stream, name). */
class FakeAdmin implements PersistentSubscriptionAdmin {
  readonly groups = new Map<string, PersistentSubscriptionToStreamSettings>();
  failure: Error | undefined;
  async createPersistentSubscriptionToStream(streamName: string, groupName: string, settings: PersistentSubscriptionToStreamSettings): Promise<void> {
    if (this.failure) throw this.failure;
    const key = `${streamName}::${groupName}`;
    if (this.groups.has(key)) throw new FakeKurrentError('persistent-subscription-exists', `${key} exists`);
    this.groups.set(key, settings);
  }
}

describe('back-office persistent subscription', () => {
  it('creates the group on the order category, resolving links, from the start of history', async () => {
    const admin = new FakeAdmin();
    expect(await ensureBackOfficeSubscription(admin)).toBe('created');
    expect([...admin.groups.keys()]).toEqual([`${ORDER_CATEGORY_STREAM}::${BACK_OFFICE_GROUP}`]);
    expect(ORDER_CATEGORY_STREAM).toBe('$ce-order');
    expect(admin.groups.get('$ce-order::back-office')).toMatchObject({
      resolveLinkTos: true,
      startFrom: 'start',
      consumerStrategyName: 'RoundRobin',
      maxRetryCount: 10,
      messageTimeout: 30_000,
    });
  });

  it('is idempotent: a second consumer finds the group and leaves its settings alone', async () => {
    const admin = new FakeAdmin();
    await ensureBackOfficeSubscription(admin);
    expect(await ensureBackOfficeSubscription(admin)).toBe('exists');
    expect(admin.groups.size).toBe(1);
  });

  it('passes other failures on', async () => {
    const admin = new FakeAdmin();
    admin.failure = new FakeKurrentError('access-denied', 'no');
    await expect(ensureBackOfficeSubscription(admin)).rejects.toBe(admin.failure);
  });

  it('spells out every setting the client knows', () => {
    expect(Object.keys(BACK_OFFICE_SUBSCRIPTION_SETTINGS).sort()).toEqual(
      [
        'checkPointAfter',
        'checkPointLowerBound',
        'checkPointUpperBound',
        'consumerStrategyName',
        'extraStatistics',
        'historyBufferSize',
        'liveBufferSize',
        'maxRetryCount',
        'maxSubscriberCount',
        'messageTimeout',
        'readBatchSize',
        'resolveLinkTos',
        'startFrom',
      ].sort(),
    );
  });
});
