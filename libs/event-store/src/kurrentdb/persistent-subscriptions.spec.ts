import type { PersistentSubscriptionToStreamSettings } from '@kurrent/kurrentdb-client';
import { EVENT_UPCASTERS, schemaVersionOf } from '@csp/domain';
import { UpcasterChain, UpcastingError } from '../upcasting';
import {
  BACK_OFFICE_GROUP,
  BACK_OFFICE_SUBSCRIPTION_SETTINGS,
  ORDER_CATEGORY_STREAM,
  UnprocessableEventError,
  backOfficeEventOf,
  ensureBackOfficeSubscription,
  type PersistentSubscriptionAdmin,
  type ResolvedOrderEvent,
} from './persistent-subscriptions';
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

describe('what a back-office consumer receives', () => {
  const upcasting = new UpcasterChain(EVENT_UPCASTERS, schemaVersionOf);
  const delivered = (type: string, data: unknown, metadata: unknown, over: Partial<NonNullable<ResolvedOrderEvent['event']>> = {}): ResolvedOrderEvent => ({
    event: { id: 'e-1', type, streamId: 'order-1', revision: 3n, isJson: true, data, metadata, ...over },
  });
  const link = { orderId: 'o-1', linkId: 'l-1', line: 1, issuedAt: '2026-03-02T10:00:00.000Z', expiresAt: '2026-03-16T10:00:00.000Z' };

  it('is the current shape of the event: a DownloadLinkIssued stored as version 1 arrives with maxDownloads 50', () => {
    const event = backOfficeEventOf(delivered('DownloadLinkIssued', link, { schemaVersion: 1, correlationId: 'c' }), upcasting);
    expect(event).toMatchObject({ eventId: 'e-1', type: 'DownloadLinkIssued', streamId: 'order-1', revision: 3n, data: { ...link, maxDownloads: 50 } });
    expect(event.metadata).toMatchObject({ schemaVersion: schemaVersionOf('DownloadLinkIssued'), upcastFrom: 1, correlationId: 'c' });
    // Events without a version in their metadata are version 1 too.
    expect(backOfficeEventOf(delivered('DownloadLinkIssued', link, undefined), upcasting).data).toMatchObject({ maxDownloads: 50 });
  });

  it('passes current events through unchanged', () => {
    const current = { ...link, maxDownloads: 50 };
    const event = backOfficeEventOf(delivered('DownloadLinkIssued', current, { schemaVersion: schemaVersionOf('DownloadLinkIssued') }), upcasting);
    expect(event.data).toBe(current);
  });

  it('refuses what no redelivery can fix (park it) and what a newer program wrote (retry after upgrading)', () => {
    expect(() => backOfficeEventOf({}, upcasting)).toThrow(UnprocessableEventError);
    expect(() => backOfficeEventOf(delivered('SoftwarePurchased', new Uint8Array(1), {}, { isJson: false }), upcasting)).toThrow(UnprocessableEventError);
    expect(() => backOfficeEventOf(delivered('DownloadLinkIssued', link, { schemaVersion: 99 }), upcasting)).toThrow(UpcastingError);
  });
});
