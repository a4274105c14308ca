import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { parseAllowedDestinations, ProductKeyVault } from '@csp/security';
import { WebhookDestinations, type Resolver } from './destinations';
import { WebhookDispatcher, type DispatchLease } from './webhook-dispatcher';
import { webhookStreamId } from '@csp/domain';
import { Metrics } from '@csp/observability';

const metadata = () => ({ occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 });

/** A receiver that counts deliveries per event id, and answers `status` (a body that must not leak with it). */
async function receiver(status = () => 204): Promise<{ url: string; port: number; deliveries: Map<string, number>; close(): Promise<void> }> {
  const deliveries = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const id = String(request.headers['x-csp-event-id']);
    deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    request.resume();
    request.on('end', () => response.writeHead(status()).end(status() === 204 ? undefined : 'internal stack trace: secret=hunter2'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, port, deliveries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The receivers of these tests listen on 127.0.0.1: allowed as an operator would, with WEBHOOK_ALLOWED_HOSTS. */
const allowLoopback = (resolver?: Resolver) => new WebhookDestinations(parseAllowedDestinations('127.0.0.1').allowed, resolver);

const registration = (vault: ProductKeyVault, webhookId: string, url: string) => ({
  eventId: randomUUID(),
  type: 'WebhookRegistered',
  data: {
    webhookId,
    url,
    secret: vault.encrypt('s3cret', { orderId: webhookId, keyId: 'webhook-secret' }),
    registeredAt: '2026-03-02T10:00:00.000Z',
    registeredBy: { sub: 'bo', tid: 't', roles: ['back-office'] },
  },
  metadata: metadata(),
});

const until = async (condition: () => boolean | Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
};

describe('WebhookDispatcher with several processes', () => {
  let store: EventStore;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const vault = new ProductKeyVault([randomBytes(32)]);
  const leases = new MemoryReadModelStore();
  const lease = (owner: string): DispatchLease => ({
    ttlMs: 150,
    acquire: () => leases.acquireLease('webhook-dispatcher', owner, 150),
    release: () => leases.releaseLease('webhook-dispatcher', owner),
  });
  const dispatcher = (owner: string) =>
    new WebhookDispatcher({ store, vault, destinations: allowLoopback(), lease: lease(owner), baseDelayMs: 10, checkpointEveryMs: 0 });
  const publish = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = randomUUID();
      ids.push(eventId);
      await store.append(`order-${randomUUID()}`, [{ eventId, type: 'OrderCancelled', data: { orderId: 'o' }, metadata: metadata() }], 'no_stream');
    }
    return ids;
  };

  beforeAll(async () => {
    store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-webhooks-')), 'events.sqlite'), pollIntervalMs: 20 });
    hook = await receiver();
    const webhookId = randomUUID();
    await store.append(webhookStreamId(webhookId), [registration(vault, webhookId, hook.url)], 'no_stream');
  });
  afterAll(async () => {
    await hook.close();
    await store.close();
  });

  it('delivers each event once while one process holds the lease, and the other takes over when it stops', async () => {
    const a = dispatcher('a');
    const b = dispatcher('b');
    await a.start();
    await b.start();
    expect([a.delivering, b.delivering]).toEqual([true, false]);

    const first = await publish(15);
    expect(await until(() => first.every((id) => hook.deliveries.has(id)))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.map((id) => hook.deliveries.get(id))).toEqual(first.map(() => 1));
    expect(b.delivering).toBe(false);

    // The holder stops (checkpointing, releasing the lease): the other one resumes from its checkpoint.
    await a.stop();
    expect(await until(() => b.delivering, 2_000)).toBe(true);
    const second = await publish(10);
    expect(await until(() => second.every((id) => hook.deliveries.has(id)))).toBe(true);
    await b.stop();
    expect([...first, ...second].map((id) => hook.deliveries.get(id))).toEqual([...first, ...second].map(() => 1));
  });
});

describe('WebhookDispatcher taking over the lease', () => {
  it('stands down and tries again at the next turn when the store cannot be read, instead of a rejection that ends the process', async () => {
    const store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-webhooks-')), 'events.sqlite'), pollIntervalMs: 20 });
    const leases = new MemoryReadModelStore();
    let failures = 2;
    const failing: EventStore = Object.create(store, {
      readAll: {
        value: (...args: Parameters<EventStore['readAll']>) => (failures-- > 0 ? Promise.reject(new Error('disk I/O error')) : store.readAll(...args)),
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const dispatcher = new WebhookDispatcher({
      store: failing,
      vault: new ProductKeyVault([randomBytes(32)]),
      destinations: allowLoopback(),
      lease: { ttlMs: 60, acquire: () => leases.acquireLease('webhook-dispatcher', 'p', 60), release: () => leases.releaseLease('webhook-dispatcher', 'p') },
    });
    try {
      await dispatcher.start();
      expect(dispatcher.delivering).toBe(false);
      expect(await until(() => dispatcher.delivering, 3_000)).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await dispatcher.stop();
      await store.close();
    }
  });
});

describe('WebhookDispatcher destinations', () => {
  let store: EventStore;
  const vault = new ProductKeyVault([randomBytes(32)]);
  const deadLetters = async (webhookId: string) =>
    (await store.readStream(webhookStreamId(webhookId)))
      .filter((e) => e.type === 'WebhookDeliveryDeadLettered')
      .map((e) => e.data as { eventId: string; lastError: string; attempts: number });
  const register = async (url: string) => {
    const webhookId = randomUUID();
    await store.append(webhookStreamId(webhookId), [registration(vault, webhookId, url)], 'no_stream');
    return webhookId;
  };
  const publish = async () => {
    const eventId = randomUUID();
    await store.append(`order-${randomUUID()}`, [{ eventId, type: 'OrderCancelled', data: { orderId: 'o' }, metadata: metadata() }], 'no_stream');
    return eventId;
  };
  const run = async (destinations: WebhookDestinations, body: () => Promise<void>) => {
    const dispatcher = new WebhookDispatcher({ store, vault, destinations, maxAttempts: 2, baseDelayMs: 10, checkpointEveryMs: 0, timeoutMs: 2_000 });
    await dispatcher.start();
    try {
      await body();
    } finally {
      await dispatcher.stop();
    }
  };

  beforeEach(() => {
    store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-webhook-destinations-')), 'events.sqlite'), pollIntervalMs: 20 });
  });
  afterEach(() => store.close());

  it('refuses, at delivery, a registration whose address is internal (one stored before the rule, say): nothing is sent', async () => {
    const hook = await receiver();
    try {
      const webhookIds = [
        await register(hook.url),
        await register(`http://2130706433:${hook.port}/hook`),
        await register('http://169.254.169.254/latest/meta-data/'),
      ];
      await run(new WebhookDestinations(), async () => {
        const eventId = await publish();
        for (const webhookId of webhookIds) {
          await until(async () => (await deadLetters(webhookId)).length > 0);
          expect(await deadLetters(webhookId)).toEqual([expect.objectContaining({ eventId, attempts: 2, lastError: 'destination address not allowed' })]);
        }
      });
      expect(hook.deliveries.size).toBe(0);
    } finally {
      await hook.close();
    }
  });

  it('connects to the address it checked: a DNS answer that changes after the check (rebinding) reaches no internal address', async () => {
    const hook = await receiver();
    // The name resolves to the allowed 127.0.0.1 when checked, then to the metadata service.
    let answer = '127.0.0.1';
    const lookups: string[] = [];
    const resolver: Resolver = async (host) => {
      lookups.push(host);
      return [{ address: answer, family: 4 }];
    };
    try {
      // rebind.test exists in no DNS: had the HTTP client resolved it again, the delivery would fail.
      const webhookId = await register(`http://rebind.test:${hook.port}/hook`);
      await run(allowLoopback(resolver), async () => {
        const first = await publish();
        await until(() => hook.deliveries.has(first));
        expect(hook.deliveries.get(first)).toBe(1);
        expect(lookups).toEqual(['rebind.test']);

        answer = '169.254.169.254';
        const second = await publish();
        await until(async () => (await deadLetters(webhookId)).length > 0);
        expect(await deadLetters(webhookId)).toEqual([expect.objectContaining({ eventId: second, lastError: 'destination address not allowed' })]);
        expect(hook.deliveries.has(second)).toBe(false);
        // Checked at every attempt.
        expect(lookups).toEqual(['rebind.test', 'rebind.test', 'rebind.test']);
      });
    } finally {
      await hook.close();
    }
  });

  it("says what failed in its own words, never with the receiver's body", async () => {
    const failing = await receiver(() => 500);
    const closed = await receiver();
    await closed.close();
    try {
      const http500 = await register(failing.url);
      const refused = await register(closed.url);
      const unknown = await register('http://no-such-host.invalid/hook');
      const nxdomain: Resolver = async (host) => Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
      await run(allowLoopback(nxdomain), async () => {
        await publish();
        const all = async () => [...(await deadLetters(http500)), ...(await deadLetters(refused)), ...(await deadLetters(unknown))];
        await until(async () => (await all()).length === 3);
        expect((await deadLetters(http500)).map((d) => d.lastError)).toEqual(['HTTP 500']);
        expect((await deadLetters(refused)).map((d) => d.lastError)).toEqual(['connection refused']);
        expect((await deadLetters(unknown)).map((d) => d.lastError)).toEqual(['host not found']);
      });
    } finally {
      await failing.close();
    }
  });
});

describe('WebhookDispatcher metrics', () => {
  let store: EventStore;
  const vault = new ProductKeyVault([randomBytes(32)]);
  const value = async (metrics: Metrics, name: string, labels: Record<string, string> = {}) => {
    const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
    return (metric?.values ?? []).filter((v) => Object.entries(labels).every(([key, label]) => v.labels[key] === label)).reduce((sum, v) => sum + v.value, 0);
  };

  beforeEach(() => {
    store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-webhook-metrics-')), 'events.sqlite'), pollIntervalMs: 20 });
  });
  afterEach(() => store.close());

  it('counts attempts by outcome, and dead letters until a replay from before them delivers them again', async () => {
    let failing = true;
    const hook = await receiver(() => (failing ? 500 : 204));
    const metrics = new Metrics();
    const webhookId = randomUUID();
    await store.append(webhookStreamId(webhookId), [registration(vault, webhookId, hook.url)], 'no_stream');
    const dispatcher = () =>
      new WebhookDispatcher({ store, vault, destinations: allowLoopback(), maxAttempts: 2, baseDelayMs: 10, checkpointEveryMs: 0, metrics });
    const first = dispatcher();
    await first.start();
    try {
      for (let i = 0; i < 2; i++) {
        await store.append(
          `order-${randomUUID()}`,
          [{ eventId: randomUUID(), type: 'OrderCancelled', data: { orderId: 'o' }, metadata: metadata() }],
          'no_stream',
        );
      }
      await until(async () => (await value(metrics, 'csp_webhook_dead_letters')) === 2);
      expect(await value(metrics, 'csp_webhook_deliveries_total', { outcome: 'failed' })).toBe(4);
      expect(await value(metrics, 'csp_webhook_deliveries_total', { outcome: 'dead_lettered' })).toBe(2);
    } finally {
      await first.stop();
    }

    // Another process that takes over counts them from the store; a replay that delivers takes them off.
    metrics.webhookDeadLetters.set(0);
    const second = dispatcher();
    await second.start();
    try {
      await until(async () => (await value(metrics, 'csp_webhook_dead_letters')) === 2);
      failing = false;
      await store.append(
        webhookStreamId(webhookId),
        [
          {
            eventId: randomUUID(),
            type: 'WebhookReplayRequested',
            data: { webhookId, fromPosition: '-1', at: '2026-03-02T10:00:00.000Z' },
            metadata: metadata(),
          },
        ],
        'stream_exists',
      );
      await until(async () => (await value(metrics, 'csp_webhook_deliveries_total', { outcome: 'delivered' })) === 2);
      expect(await value(metrics, 'csp_webhook_dead_letters')).toBe(0);
    } finally {
      await second.stop();
      await hook.close();
    }
  });
});
