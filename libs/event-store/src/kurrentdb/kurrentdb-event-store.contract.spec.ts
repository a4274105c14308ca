/**
 * The port's contract suite, and the back-office persistent subscription, against a real
 * KurrentDB started with testcontainers — wherever a Docker engine answers. Where none does, the
 * suite is skipped with one loud line; REQUIRE_KURRENTDB=1 turns that into a failure.
 */
import { randomUUID } from 'node:crypto';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { StartedTestContainer } from 'testcontainers';
import { eventStoreContract } from '../contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { BACK_OFFICE_GROUP, ORDER_CATEGORY_STREAM, ensureBackOfficeSubscription } from './persistent-subscriptions';
import { probeDockerEngine } from './testing/docker-engine';

const IMAGE = 'kurrentplatform/kurrentdb:25.0';

const docker = probeDockerEngine();
if (!docker.reachable) {
  if (process.env.REQUIRE_KURRENTDB === '1') throw new Error(`REQUIRE_KURRENTDB=1 but no Docker engine is reachable (${docker.reason})`);
  // Straight to stderr: jest drops console output of a file whose tests are all skipped.
  process.stderr.write(
    `\nKURRENTDB CONTRACT SUITE SKIPPED: no Docker engine reachable (${docker.reason}); run it where Docker exists (REQUIRE_KURRENTDB=1 makes this a failure)\n`,
  );
}

let container: Promise<StartedTestContainer> | undefined;
/** One single-node server for the whole file, insecure, with the system projections that feed `$ce-order`. */
function kurrentdb(): Promise<StartedTestContainer> {
  container ??= (async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    return new GenericContainer(IMAGE)
      .withEnvironment({
        KURRENTDB_CLUSTER_SIZE: '1',
        KURRENTDB_INSECURE: 'true',
        KURRENTDB_RUN_PROJECTIONS: 'System',
        KURRENTDB_START_STANDARD_PROJECTIONS: 'true',
      })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code >= 200 && code < 300))
      .withStartupTimeout(120_000)
      .start();
  })();
  return container;
}
const connectionString = async () => {
  const server = await kurrentdb();
  return `kurrentdb://${server.getHost()}:${server.getMappedPort(2113)}?tls=false`;
};

function onRealServer(): void {
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
}

if (docker.reachable) {
  jest.setTimeout(180_000);
  afterAll(async () => {
    if (container) await (await container).stop();
  });
  onRealServer();
} else {
  // Skipped, the suite's tests still show in the report, under this reason.
  describe.skip('needs a Docker engine', onRealServer);
}
