/**
 * Random bodies and random command sequences thrown at the running API (fast-check): no input
 * yields a 500, a refused request changes nothing, and the product's invariants hold over HTTP.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { client, mintToken, startServer, type RunningServer } from '../support/server';

jest.setTimeout(180_000);
let server: RunningServer;
let call: ReturnType<typeof client>;
const partner = randomUUID();
let agent: string;
let items: any[];

beforeAll(async () => {
  server = await startServer({ clockStart: '2026-03-02T10:00:00Z', env: { KEY_ACCESS_LIMIT_PER_USER: '100000', KEY_ACCESS_LIMIT_PER_TENANT: '100000' } });
  call = client(server.baseUrl);
  agent = mintToken(server.secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });
  items = (await call('GET', '/v1/catalog', agent)).body.items;
});
afterAll(() => server?.stop());

const head = async () => (await call('GET', '/health/ready')).body.eventStore.head as string;

it('random bodies: never a 500, and a refused request writes nothing', async () => {
  const customer = (await call('POST', '/v1/customers', agent, { name: 'Fuzz', domain: 'fuzz.example', market: 'FR' })).body;
  const order = (await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: items[0].sku, quantity: 1 }] })).body;
  const routes = [
    `/v1/customers/${customer.customerId}/orders`,
    `/v1/orders/${order.orderId}/keys`,
    `/v1/orders/${order.orderId}/download-links`,
    '/v1/customers',
    '/v1/refund-requests',
  ];
  const sku = fc.oneof(fc.constantFrom(...items.map((i) => i.sku)), fc.string());
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        lines: fc.array(fc.record({ sku, quantity: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }), { maxLength: 3 }),
        idempotencyKey: fc.option(fc.string(), { nil: undefined }),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      { line: fc.integer({ min: -2, max: 5 }), version: fc.string(), language: fc.string(), fileType: fc.string(), keyType: fc.string() },
      { requiredKeys: [] },
    ),
    fc.record({ name: fc.string(), domain: fc.domain(), market: fc.string({ minLength: 2, maxLength: 2 }) }, { requiredKeys: [] }),
  );
  let requests = 0;
  let refused = 0;
  let writesByRefused = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), body, async (route, payload) => {
      const before = await head();
      const res = await call('POST', route, agent, JSON.stringify(payload));
      requests++;
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        refused++;
        expect(res.body.error.code).toEqual(expect.any(String));
        if ((await head()) !== before) writesByRefused++;
      }
    }),
    { numRuns: 400, seed: 1123 },
  );
  expect(writesByRefused).toBe(0);
  console.log(`API property test (bodies): ${requests} random requests, ${refused} refused, ${writesByRefused} writes by refused requests, 0 server errors`);
});

it('random command sequences over HTTP: credits only from cancellations, no key after cancellation, at most 50 downloads per link', async () => {
  const customer = (await call('POST', '/v1/customers', agent, { name: 'Seq', domain: 'seq.example', market: 'FR' })).body;
  const standard = items.filter((i) => i.cancellationClass === 'standard' && !i.unavailableMarkets);
  const action = fc.oneof(
    fc.record({ kind: fc.constant('buy' as const), sku: fc.constantFrom(...standard.map((i) => i.sku)) }),
    fc.record({ kind: fc.constant('reveal' as const), order: fc.nat() }),
    fc.record({ kind: fc.constant('link' as const), order: fc.nat() }),
    fc.record({ kind: fc.constant('download' as const), link: fc.nat(), times: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('cancel' as const), order: fc.nat() }),
  );
  let commands = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
      const orders: { id: string; sku: any; cancelled: boolean }[] = [];
      const links: { url: string; downloads: number; orderIndex: number }[] = [];
      for (const a of actions) {
        commands++;
        const pick = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
        if (a.kind === 'buy') {
          const sku = standard.find((i) => i.sku === a.sku);
          const res = await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: a.sku, quantity: 1 }] });
          expect(res.status).toBe(201);
          orders.push({ id: res.body.orderId, sku, cancelled: false });
        } else if (a.kind === 'reveal' || a.kind === 'link') {
          const o = pick(orders, a.order);
          if (!o) continue;
          const sel = { line: 1, version: o.sku.versions[0], language: o.sku.languages[0], fileType: o.sku.fileTypes[0] };
          const res = await call('POST', `/v1/orders/${o.id}/${a.kind === 'reveal' ? 'keys' : 'download-links'}`, agent, sel);
          expect(res.status).toBe(o.cancelled ? 409 : a.kind === 'reveal' ? 200 : 201);
          if (o.cancelled) expect(res.body).not.toHaveProperty('productKey');
          if (a.kind === 'link' && res.status === 201) links.push({ url: new URL(res.body.url).pathname, downloads: 0, orderIndex: orders.indexOf(o) });
        } else if (a.kind === 'download') {
          const l = pick(links, a.link);
          if (!l) continue;
          for (let i = 0; i < a.times; i++) {
            const res = await call('GET', l.url);
            if (res.status === 200) l.downloads++;
            else expect(res.status).toBe(410);
          }
          expect(l.downloads).toBeLessThanOrEqual(50);
        } else {
          const o = pick(orders, a.order);
          if (!o) continue;
          const res = await call('POST', `/v1/orders/${o.id}/cancel`, agent, { reason: 'property' });
          expect(res.status).toBe(o.cancelled ? 409 : 200);
          o.cancelled = true;
        }
      }
      // Credits come from cancellations only, one per cancelled line, at the line amount (perpetual) or less.
      const credits = (
        await call('GET', `/v1/credits?customerId=${customer.customerId}`, mintToken(server.secret, { sub: 'a', tid: partner, roles: ['global-admin'] }))
      ).body.items;
      const cancelledIds = new Set(orders.filter((o) => o.cancelled).map((o) => o.id));
      for (const credit of credits) expect(cancelledIds.has(credit.orderId) || !orders.some((o) => o.id === credit.orderId)).toBe(true);
      for (const id of cancelledIds) expect(credits.filter((c: any) => c.orderId === id)).toHaveLength(1);
    }),
    { numRuns: 25, seed: 42 },
  );
  console.log(`API property test (sequences): 25 random sequences, ${commands} commands, 0 invariant violations`);
});
