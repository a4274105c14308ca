/**
 * The scaled-out shape on one machine: two API replicas and two projector processes sharing one
 * event store and Redis read models — the SQLite file in one DATA_DIR, and a PostgreSQL database
 * (EVENTSTORE_URL=postgres://…) where a server answers. Replicas stay consistent (optimistic
 * concurrency, idempotency keys); projectors never double-apply (leases and checkpointed commits);
 * webhooks are delivered once each.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, mintToken, startProjector, startServer } from '../support/server';
import { REDIS_URL, redisAvailable, testPrefix } from '../../libs/projections/src/testing/redis';
import Redis from 'ioredis';
import { comparePositions, formatPosition, parsePosition, type Position } from '@csp/event-store';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../libs/event-store/src/postgres/testing/database';

jest.setTimeout(120_000);

/** The shared event store: the SQLite file of the DATA_DIR, or (EVENTSTORE_URL) a PostgreSQL database of this run's own. */
const stores: [string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>][] = [
  ['SQLite file', async () => ({ env: {}, drop: async () => undefined })],
  ...(postgresForTests('scale-out')
    ? ([
        [
          'PostgreSQL',
          async () => {
            const database: TestDatabase = await createTestDatabase();
            return { env: { EVENTSTORE_URL: database.url }, drop: () => database.drop() };
          },
        ],
      ] as typeof stores)
    : []),
];

it.each(stores)('two API replicas and two projectors on one event store (%s) and Redis', async (_name, openStore) => {
  if (!(await redisAvailable())) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-scale-'));
  const secret = `scale-${randomUUID()}`;
  const prefix = testPrefix('scale');
  const store = await openStore();
  // WEBHOOK_ALLOWED_HOSTS: the webhook receiver below is on loopback (the APIs register, the projectors deliver).
  const shared = {
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    DATA_DIR: dataDir,
    KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    // With EVENTSTORE_URL every process must be told how tokens are checked, the projector too.
    AUTH_JWT_SECRET: secret,
    ...store.env,
  };
  const projectors = [await startProjector(shared), await startProjector(shared)];
  const apis = [
    await startServer({ dataDir, secret, env: { ...shared, RUN_PROJECTIONS: 'false' } }),
    await startServer({ dataDir, secret, env: { ...shared, RUN_PROJECTIONS: 'false' } }),
  ];
  const [a, b] = apis.map((s) => client(s.baseUrl));
  // A webhook receiver, counting deliveries per event id.
  const deliveries = new Map<string, number>();
  const receiver = createServer((request, response) => {
    const id = String(request.headers['x-csp-event-id']);
    deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const partner = randomUUID();
    const agent = mintToken(secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });
    const backOffice = mintToken(secret, { sub: 'bo', tid: randomUUID(), roles: ['back-office'] });
    const registered = await a!('POST', '/v1/webhooks', backOffice, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      eventTypes: ['ProductKeyRevealed'],
    });
    expect(registered.status).toBe(201);
    const item = (await a!('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual');
    const customer = (await a!('POST', '/v1/customers', agent, { name: 'Contoso', domain: 'contoso.example', market: 'FR' })).body;

    // The same purchase retried on both replicas at once: one order.
    const body = { lines: [{ sku: item.sku, quantity: 1 }], idempotencyKey: 'po-77' };
    const orders = await Promise.all([a!, b!, a!, b!].map((call) => call('POST', `/v1/customers/${customer.customerId}/orders`, agent, body)));
    expect(orders.map((o) => o.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(orders.map((o) => o.body.orderId)).size).toBe(1);
    const orderId = orders[0]!.body.orderId;

    // Concurrent reveals on both replicas: one key, every reveal audited once.
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const reveals = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a! : b!)('POST', `/v1/orders/${orderId}/keys`, agent, sel)));
    expect(new Set(reveals.map((r) => r.body.productKey)).size).toBe(1);
    // Positions are opaque text (the SQLite sequence, PostgreSQL's transaction/position pair): compared as the port compares them.
    const last = formatPosition(reveals.map((r) => parsePosition(r.body.position)!).reduce((x: Position, y: Position) => (comparePositions(x, y) > 0 ? x : y)));

    // Read your writes through the other replica, projected by another process.
    const list = await b!('GET', `/v1/customers/${customer.customerId}/software?atLeast=${last}`, agent);
    expect(list.headers.get('x-read-model-stale')).toBeNull();
    expect(list.body.items[0].keys[0].reveals).toBe(10);
    const history = await a!('GET', `/v1/customers/${customer.customerId}/orders?atLeast=${last}`, agent);
    expect(history.body.orders[0].events.filter((e: any) => e.type === 'ProductKeyRevealed')).toHaveLength(10);

    // The webhook: delivered by the projectors (the APIs do not project), by one of them, once each.
    for (let i = 0; i < 500 && deliveries.size < 10; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect([...deliveries.values()]).toEqual(Array.from({ length: 10 }, () => 1));
    const delivering = await Promise.all(
      projectors.map(
        async (p) => ((await (await fetch(`http://127.0.0.1:${p.port}/health/ready`)).json()) as { deliveringWebhooks: boolean }).deliveringWebhooks,
      ),
    );
    expect(delivering.filter(Boolean)).toHaveLength(1);

    // Exactly one projector holds each read model's lease.
    const redis = new Redis(REDIS_URL);
    const leases = await Promise.all(
      ['customers', 'software-list', 'order-history', 'activity-log', 'credits'].map((m) => redis.get(`${prefix}rm:${m}:lease`)),
    );
    expect(leases.every((l) => l !== null)).toBe(true);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  } finally {
    receiver.close();
    await Promise.all(apis.map((s) => s.stop()));
    await Promise.all(projectors.map((p) => p.stop()));
    await store.drop();
  }
});
