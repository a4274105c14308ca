/**
 * One way to take a query string: every GET with parameters has a query DTO validated by the strict
 * pipe of the bodies (unknown and prototype-reaching parameters refused naming them, a parameter given
 * twice refused naming it), and every read-model query reads its writes through @ReadYourWrites.
 */
import { randomUUID } from 'node:crypto';
import { client, mintToken, startServer, type RunningServer } from '../support/server';

jest.setTimeout(120_000);

let server: RunningServer;
let call: ReturnType<typeof client>;
const partner = randomUUID();
const t = (tid: string, role: string) => mintToken(server.secret, { sub: `${role}-user`, tid, roles: [role] });
let customerId: string;
let position: string;

beforeAll(async () => {
  server = await startServer({ clockStart: '2026-03-02T10:00:00Z' });
  call = client(server.baseUrl);
  const created = await call('POST', '/v1/customers', t(partner, 'admin-agent'), { name: 'Contoso', domain: 'contoso.example', market: 'FR' });
  ({ customerId, position } = created.body);
});
afterAll(() => server?.stop());

/** Each GET route with parameters, with a valid query, and who may ask. */
const routes = () => [
  { path: `/v1/customers/${customerId}`, query: '', role: 'admin-agent', readYourWrites: true },
  { path: `/v1/customers/${customerId}/software`, query: '', role: 'admin-agent', readYourWrites: true },
  { path: `/v1/customers/${customerId}/orders`, query: '', role: 'admin-agent', readYourWrites: true },
  { path: '/v1/activity-log', query: 'from=2026-03-01&to=2026-03-31', role: 'global-admin', readYourWrites: true },
  { path: '/v1/credits', query: 'month=2026-04', role: 'global-admin', readYourWrites: true },
  { path: '/v1/analytics/purchases', query: 'groupBy=sku', role: 'analyst', readYourWrites: true },
  { path: '/v1/analytics/key-access', query: 'from=2026-03-01&to=2026-03-31', role: 'analyst', readYourWrites: true },
  { path: '/v1/analytics/cancellations', query: '', role: 'analyst', readYourWrites: true },
  { path: '/v1/analytics/credits', query: 'groupBy=family', role: 'analyst', readYourWrites: true },
  { path: '/v1/kms-migration/deadline', query: 'lastActivation=2026-01-01', role: 'admin-agent', readYourWrites: false },
];
const url = (path: string, ...queries: string[]) => `${path}?${queries.filter(Boolean).join('&')}`;

it('answers every GET with parameters with a valid query, and says what the read models reflect', async () => {
  for (const route of routes()) {
    const res = await call('GET', url(route.path, route.query, route.readYourWrites ? `atLeast=${position}` : ''), t(partner, route.role));
    expect({ path: route.path, status: res.status }).toEqual({ path: route.path, status: 200 });
    expect({ path: route.path, position: res.headers.get('x-read-model-position') }).toEqual({
      path: route.path,
      position: route.readYourWrites ? expect.stringMatching(/^\d+$/) : null,
    });
    if (route.readYourWrites) expect(res.headers.get('x-read-model-stale')).toBeNull();
  }
});

it('refuses an unknown parameter, or one that would reach a prototype, naming it', async () => {
  for (const route of routes()) {
    for (const name of ['evil', '__proto__', 'constructor', 'prototype']) {
      const res = await call('GET', url(route.path, route.query, `${name}=1`), t(partner, route.role));
      expect({ path: route.path, status: res.status, error: res.body.error }).toEqual({
        path: route.path,
        status: 400,
        error: expect.objectContaining({
          code: 'validation_failed',
          message: `Unknown query parameter "${name}"`,
          details: expect.objectContaining({ field: name }),
        }),
      });
    }
  }
  const events = await call('GET', '/v1/events?evil=1', t(partner, 'back-office'));
  expect(events.status).toBe(400);
  expect(events.body.error.details.field).toBe('evil');
});

it('refuses a parameter given twice, naming it (atLeast too: it was a 500 on the customer reads)', async () => {
  for (const route of routes().filter((r) => r.readYourWrites)) {
    const res = await call('GET', url(route.path, route.query, 'atLeast=1&atLeast=2'), t(partner, route.role));
    expect({ path: route.path, status: res.status, field: res.body.error?.details?.field, message: res.body.error?.message }).toEqual({
      path: route.path,
      status: 400,
      field: 'atLeast',
      message: 'atLeast must be given once',
    });
  }
  const month = await call('GET', '/v1/credits?month=2026-04&month=2026-05', t(partner, 'global-admin'));
  expect([month.status, month.body.error.message, month.body.error.details.field]).toEqual([400, 'month must be given once', 'month']);
});

it('refuses a position it cannot read, given as atLeast or as X-Min-Position, naming atLeast', async () => {
  const path = `/v1/customers/${customerId}/software`;
  const agent = t(partner, 'admin-agent');
  for (const res of [await call('GET', `${path}?atLeast=soon`, agent), await call('GET', path, agent, undefined, { 'x-min-position': 'soon' })]) {
    expect([res.status, res.body.error.details.field]).toEqual([400, 'atLeast']);
  }
  const header = await call('GET', path, agent, undefined, { 'x-min-position': position });
  expect(header.status).toBe(200);
  expect(BigInt(header.headers.get('x-read-model-position')!)).toBe(BigInt(position));
});

it('reads ids in either case as the same id', async () => {
  const admin = t(partner, 'global-admin');
  const lower = await call('GET', `/v1/credits?customerId=${customerId}`, admin);
  const upper = await call('GET', `/v1/credits?customerId=${customerId.toUpperCase()}`, admin);
  expect([lower.status, upper.status]).toEqual([200, 200]);
  expect(upper.body).toEqual(lower.body);
});

it("refuses a refund request that can never succeed by the domain's rules before looking anything up", async () => {
  // A request naming no order must say whose it is (tenant id or domain): refused before any lookup.
  // (A request naming an order takes the order's tenant: security.spec.ts.)
  const res = await call('POST', '/v1/refund-requests', t(randomUUID(), 'admin-agent'), {
    subscriptionId: 'sub-1',
    reason: 'x',
    amount: 1,
    contact: { name: 'A', email: 'a@b.example', phone: '123456' },
  });
  expect([res.status, res.body.error.code, res.body.error.details.field]).toEqual([400, 'invalid_refund_request', 'tenantId']);
  const noAmount = await call('POST', '/v1/refund-requests', t(partner, 'admin-agent'), {
    subscriptionId: 'sub-1',
    domain: 'contoso.example',
    reason: 'x',
    contact: { name: 'A', email: 'a@b.example', phone: '123456' },
  });
  expect([noAmount.status, noAmount.body.error.message, noAmount.body.error.details.field]).toEqual([
    400,
    'amount (the amount requested, in minor units) is required',
    'amount',
  ]);
});

it('reads paging numbers one way on every list: plain digits in range, nothing else', async () => {
  const analyst = t(randomUUID(), 'analyst');
  for (const bad of ['', ' ', '0x10', '1e2', '+5', '5.0', '-1', '1e21']) {
    const refused = await call('GET', `/v1/analytics/purchases?groupBy=sku&offset=${encodeURIComponent(bad)}`, analyst);
    expect({ bad, status: refused.status, field: refused.body.error?.details?.field }).toEqual({ bad, status: 400, field: 'offset' });
  }
  for (const bad of ['0', '1001', '0x10', '1e2']) {
    const refused = await call('GET', `/v1/analytics/purchases?groupBy=sku&limit=${encodeURIComponent(bad)}`, analyst);
    expect({ bad, status: refused.status }).toEqual({ bad, status: 400 });
  }
  expect((await call('GET', '/v1/analytics/purchases?groupBy=sku&offset=0&limit=1000', analyst)).status).toBe(200);
});

it('reads limit and cursor one way on every list paged by cursor, naming the parameter it refuses', async () => {
  const lists = routes().filter((r) => ['/software', '/orders', '/v1/activity-log', '/v1/credits'].some((end) => r.path.endsWith(end)));
  expect(lists).toHaveLength(4);
  const base64url = (text: string) => Buffer.from(text).toString('base64url');
  const refusals = {
    limit: { given: ['0', '1001', '1e2', '-1', '', '5.0'], message: 'limit must be a whole number from 1 to 1000' },
    // Not base64url, a position of no list, a position in a non-canonical spelling, another list's position.
    cursor: {
      given: ['not a cursor', base64url('2026-04|x'), `${base64url(`001772446400000|${customerId}`)}=`, base64url(`001772446400000|${customerId}|1|1`)],
      message: 'cursor must be a nextCursor returned by this route',
    },
  };
  for (const route of lists) {
    const who = t(partner, route.role);
    for (const [field, { given, message }] of Object.entries(refusals)) {
      for (const value of given) {
        const refused = await call('GET', url(route.path, route.query, `${field}=${encodeURIComponent(value)}`), who);
        expect({ path: route.path, value, status: refused.status, field: refused.body.error?.details?.field, message: refused.body.error?.message }).toEqual({
          path: route.path,
          value,
          status: 400,
          field,
          message,
        });
      }
    }
    const twice = await call('GET', url(route.path, route.query, 'limit=1&limit=2'), who);
    expect([twice.status, twice.body.error?.details?.field]).toEqual([400, 'limit']);
    const fine = await call('GET', url(route.path, route.query, 'limit=1000', `atLeast=${position}`), who);
    expect({ path: route.path, status: fine.status, next: fine.body.nextCursor }).toEqual({ path: route.path, status: 200, next: undefined });
  }
});
