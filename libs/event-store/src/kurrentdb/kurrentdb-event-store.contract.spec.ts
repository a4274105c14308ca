/**
 * The port's contract suite, and the back-office persistent subscription, against a real
 * KurrentDB started with testcontainers — wherever a Docker engine answers. Where none does, the
 * suite is skipped with one loud line; REQUIRE_KURRENTDB=1 turns that into a failure.
 */
import { randomUUID } from 'node:crypto';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { eventStoreContract } from '../contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { BACK_OFFICE_GROUP, ORDER_CATEGORY_STREAM, ensureBackOfficeSubscription } from './persistent-subscriptions';
import { onRealKurrentDb } from './testing/real-server';

/** With the system projections, which feed `$ce-order`. */
onRealKurrentDb('KURRENTDB CONTRACT SUITE', { KURRENTDB_RUN_PROJECTIONS: 'System', KURRENTDB_START_STANDARD_PROJECTIONS: 'true' }, (connectionString) => {
  eventStoreContract('kurrentdb (real server, testcontainers)', async () => {
    const store = new KurrentDbEventStore({ connectionString: await connectionString() });
    return { store, dispose: () => store.close() };
  });

  describe('back-office persistent subscription (real server)', () => {
    it('is created once on $ce-order and delivers order events resolved from the category links', async () => {
      const { KurrentDBClient } = await import('@kurrent/kurrentdb-client');
      const client: KurrentDBClient = KurrentDBClient.connectionString(await connectionString());
      const store = new KurrentDbEventStore({ client });
      try {
        expect(await ensureBackOfficeSubscription(client)).toMatch(/^(created|exists)$/);
        expect(await ensureBackOfficeSubscription(client)).toBe('exists');
        const orderStream = `order-${randomUUID()}`;
        const eventId = randomUUID();
        await store.append(
          orderStream,
          [
            {
              eventId,
              type: 'SoftwarePurchased',
              data: { orderId: orderStream },
              metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: eventId, schemaVersion: 1 },
            },
          ],
          'no_stream',
        );
        const subscription = client.subscribeToPersistentSubscriptionToStream(ORDER_CATEGORY_STREAM, BACK_OFFICE_GROUP);
        try {
          for await (const resolved of subscription) {
            await subscription.ack(resolved);
            if (resolved.event?.id !== eventId) continue;
            expect(resolved.event.streamId).toBe(orderStream);
            expect(resolved.link?.streamId).toBe(ORDER_CATEGORY_STREAM);
            break;
          }
        } finally {
          await subscription.unsubscribe();
        }
      } finally {
        await store.close();
      }
    });
  });
});
