/**
 * Signed webhooks: a receiver that fails three times then succeeds gets the event, signature
 * verified; one that always fails sees the event dead-lettered, and a replay delivers it again;
 * every delivery matches the published schemas (docs/schemas/published/).
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES } from '@csp/domain';
import { verifyWebhook } from '../../libs/webhooks/src/delivery/signature';
import { backOfficeOrderLife, BURST_LIMIT, countByType, holdsLifeOf, publishedEventProblems } from '../support/published-events';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken, startServer, type RunningServer } from '../support/server';

jest.setTimeout(90_000);
checkResponsesAgainstDocument('webhooks');
let api: RunningServer;
let call: ReturnType<typeof client>;
let receiver: Server;
let receiverUrl: string;
const received: { path: string | undefined; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let failures = 0;
let failFirst = 0;
let alwaysFail = false;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      if (alwaysFail || failures < failFirst) {
        failures++;
        res.writeHead(503).end();
        return;
      }
      received.push({ path: req.url, headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  // The receiver is on loopback, which webhooks never target unless the operator allows it.
  api = await startServer({
    clockStart: '2026-03-02T10:00:00Z',
    env: { WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', KEY_ACCESS_LIMIT_PER_USER: String(BURST_LIMIT) },
  });
  call = client(api.baseUrl);
});
afterAll(async () => {
  await api?.stop();
  await new Promise((r) => receiver.close(r));
});

const until = async (predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

it('delivers each event signed, retrying a receiver that fails three times, in order', async () => {
  const backOffice = mintToken(api.secret, { sub: 'billing', tid: randomUUID(), roles: ['back-office'] });
  expect(
    (await call('POST', '/v1/webhooks', mintToken(api.secret, { sub: 'a', tid: randomUUID(), roles: ['admin-agent'] }), { url: receiverUrl })).status,
  ).toBe(403);
  expect((await call('POST', '/v1/webhooks', backOffice, { url: 'ftp://example' })).status).toBe(400);
  const hook = await call('POST', '/v1/webhooks', backOffice, { url: receiverUrl, eventTypes: ['SoftwarePurchased', 'OrderCancelled'] });
  expect(hook.status).toBe(201);
  expect(hook.body.secret).toMatch(/^[0-9a-f]{64}$/);
  failFirst = 3;
  const agent = mintToken(api.secret, { sub: 'agent', tid: randomUUID(), roles: ['admin-agent'] });
  const item = (await call('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual');
  const customer = (await call('POST', '/v1/customers', agent, { name: 'Hook', domain: 'hook.example', market: 'FR' })).body;
  const order = (await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
  await call('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'hook' });
  await until(() => received.length >= 2);
  expect(failures).toBe(3);
  expect(received.map((r) => r.headers['x-csp-event-type'])).toEqual(['SoftwarePurchased', 'OrderCancelled']);
  expect(received[0]!.headers['x-csp-delivery-attempt']).toBe('4');
  for (const r of received) {
    expect(verifyWebhook(hook.body.secret, r.body, String(r.headers['x-csp-signature']))).toBe(true);
    expect(verifyWebhook('another-secret', r.body, String(r.headers['x-csp-signature']))).toBe(false);
    expect(verifyWebhook(hook.body.secret, r.body + ' ', String(r.headers['x-csp-signature']))).toBe(false);
  }
  expect(JSON.parse(received[0]!.body)).toEqual(
    expect.objectContaining({ type: 'SoftwarePurchased', data: expect.objectContaining({ orderId: order.orderId }) }),
  );

  // A receiver that is down past every attempt: the event is dead-lettered, and delivery goes on.
  alwaysFail = true;
  const second = (await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 2 }] })).body;
  await until(async () => (await call('GET', `/v1/webhooks/${hook.body.webhookId}/dead-letters`, backOffice)).body.items.length === 1);
  const dead = (await call('GET', `/v1/webhooks/${hook.body.webhookId}/dead-letters`, backOffice)).body.items[0];
  expect(dead).toEqual(expect.objectContaining({ eventType: 'SoftwarePurchased', attempts: 4, lastError: 'HTTP 503' }));
  // Replay from just before it, once the receiver is back: it arrives.
  alwaysFail = false;
  const before = (BigInt(dead.position) - 1n).toString();
  expect((await call('POST', `/v1/webhooks/${hook.body.webhookId}/replay`, backOffice, { fromPosition: before })).status).toBe(202);
  await until(() => received.some((r) => JSON.parse(r.body).data.orderId === second.orderId));
  // A position is kept as the store spells it, and one beyond 64 bits is not a position.
  const spaced = await call('POST', `/v1/webhooks/${hook.body.webhookId}/replay`, backOffice, { fromPosition: ` ${before} ` });
  expect([spaced.status, spaced.body.fromPosition]).toEqual([202, before]);
  const huge = await call('POST', `/v1/webhooks/${hook.body.webhookId}/replay`, backOffice, { fromPosition: '99999999999999999999' });
  expect([huge.status, huge.body.error.code]).toEqual([400, 'invalid_position']);
});

it('delivers every published event type in the shape of the published schemas, key material withheld', async () => {
  const backOffice = mintToken(api.secret, { sub: 'fraud', tid: randomUUID(), roles: ['back-office'] });
  // Every type, from the start of the store: this life and the deliveries above.
  const hook = await call('POST', '/v1/webhooks', backOffice, { url: receiverUrl.replace(/\/hooks$/, '/all') });
  expect(hook.status).toBe(201);
  const life = await backOfficeOrderLife(call, api.baseUrl, (claims) => mintToken(api.secret, claims));
  const deliveries = () => received.filter((r) => r.path === '/all');
  await until(() =>
    holdsLifeOf(
      deliveries().map((r) => JSON.parse(r.body)),
      life.customerId,
    ),
  );
  for (const r of deliveries()) expect(verifyWebhook(hook.body.secret, r.body, String(r.headers['x-csp-signature']))).toBe(true);
  const events = deliveries().map((r) => JSON.parse(r.body));
  expect(events.flatMap(publishedEventProblems)).toEqual([]);
  expect(deliveries().filter((r, i) => r.headers['x-csp-event-type'] !== events[i].type || r.headers['x-csp-event-id'] !== events[i].eventId)).toEqual([]);
  const counts = countByType(events);
  expect(Object.keys(counts).sort()).toEqual([...EVENT_TYPES].sort());
  for (const e of events.filter((e) => e.type === 'ProductKeyAssigned')) expect(e.data).not.toHaveProperty('material');
  expect(deliveries().some((r) => r.body.includes(life.productKey))).toBe(false);
  console.log(`webhooks: ${events.length} delivered events validated against docs/schemas/published: ${JSON.stringify(counts)}`);
});
