/**
 * Adversarial suite over real HTTP: every role against every route, cross-tenant access, forged
 * and tampered tokens, abuse limits, hostile bodies. A refused request never changes state and
 * nothing yields a 500; secrets never reach the logs.
 */
import { createHmac, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { serverForFile } from '../support/file-server';
import { rawExchange, startServer } from '../support/server';

jest.setTimeout(180_000);
const api = serverForFile('security', {
  clockStart: '2026-03-02T10:00:00Z',
  env: { KEY_ACCESS_LIMIT_PER_USER: '8', KEY_ACCESS_LIMIT_PER_TENANT: '1000' },
});
const { call, tokenFor } = api;
const partner = randomUUID();
const otherPartner = randomUUID();
const customerTenant = randomUUID();
const stats = { cases: 0, refused: 0, stateChangesByRefused: 0, serverErrors: 0 };
const secrets: string[] = [];
let item: any;

const token = (tid: string, roles: string[], sub = `${roles[0] ?? 'nobody'}-${tid.slice(0, 4)}`) => tokenFor({ sub, tid, roles });
const head = async () => (await call('GET', '/health/ready')).body.eventStore.head as string;

/** Sends a request that must be refused with `status`, and checks that nothing was written. */
async function refused(status: number, method: string, path: string, tok: string | undefined, body?: unknown, headers?: Record<string, string>) {
  const before = await head();
  const res = await call(method, path, tok, body, headers);
  stats.cases++;
  if (res.status >= 500) stats.serverErrors++;
  expect({ method, path, status: res.status }).toEqual({ method, path, status });
  expect(res.body?.error?.code).toEqual(expect.any(String));
  expect(res.body?.error?.message).toEqual(expect.any(String));
  expect(res.text).not.toMatch(/at [\w.<>]+ \(|node_modules|\.ts:\d+/); // no stack traces
  stats.refused++;
  if ((await head()) !== before) stats.stateChangesByRefused++;
  return res;
}

beforeAll(async () => {
  item = (await call('GET', '/v1/catalog', token(partner, ['admin-agent']))).body.items.find(
    (i: any) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard',
  );
});

afterAll(() => {
  console.log(
    `adversarial suite: ${stats.cases} cases, ${stats.refused} refused as expected, ${stats.stateChangesByRefused} state changes by refused requests, ${stats.serverErrors} server errors`,
  );
});

async function fixture() {
  const agent = token(partner, ['admin-agent']);
  const customer = (
    await call('POST', '/v1/customers', agent, {
      name: 'Contoso',
      domain: `c-${randomUUID().slice(0, 8)}.example`,
      market: 'FR',
      tenantId: customerTenant === undefined ? undefined : randomUUID(),
    })
  ).body;
  const own = (
    await call('POST', '/v1/customers', agent, { name: 'Owned', domain: `o-${randomUUID().slice(0, 8)}.example`, market: 'FR', tenantId: customerTenant })
  ).body;
  const order = (await call('POST', `/v1/customers/${own.customerId ?? customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
  return { agent, customer: own.customerId ? own : customer, order };
}

describe('every role against every route', () => {
  it('allows exactly the roles SPEC names and refuses the others with 403, writing nothing', async () => {
    const { customer, order } = await fixture();
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const roles = [
      'admin-agent',
      'global-admin',
      'account-admin',
      'referral-admin',
      'marketing-content-admin',
      'customer-global-admin',
      'back-office',
      'analyst',
    ];
    const tidFor = (role: string) => (role === 'customer-global-admin' ? customerTenant : partner);
    // route → roles allowed (everyone else: 403).
    const routes: { method: string; path: string; body?: () => unknown; allowed: string[] }[] = [
      { method: 'GET', path: '/v1/catalog', allowed: roles },
      {
        method: 'POST',
        path: '/v1/customers',
        body: () => ({ name: 'X', domain: `x-${randomUUID().slice(0, 8)}.example`, market: 'DE' }),
        allowed: ['admin-agent', 'global-admin', 'account-admin'],
      },
      { method: 'GET', path: `/v1/customers/${customer.customerId}`, allowed: ['admin-agent', 'global-admin', 'account-admin', 'customer-global-admin'] },
      {
        method: 'GET',
        path: `/v1/customers/${customer.customerId}/software`,
        allowed: ['admin-agent', 'global-admin', 'account-admin', 'customer-global-admin'],
      },
      {
        method: 'GET',
        path: `/v1/customers/${customer.customerId}/orders`,
        allowed: ['admin-agent', 'global-admin', 'account-admin', 'customer-global-admin'],
      },
      {
        method: 'POST',
        path: `/v1/customers/${customer.customerId}/orders`,
        body: () => ({ lines: [{ sku: item.sku, quantity: 1 }] }),
        allowed: ['admin-agent'],
      },
      { method: 'GET', path: `/v1/orders/${order.orderId}`, allowed: ['admin-agent', 'global-admin', 'account-admin', 'customer-global-admin'] },
      { method: 'POST', path: `/v1/orders/${order.orderId}/keys`, body: () => sel, allowed: ['admin-agent', 'customer-global-admin'] },
      { method: 'POST', path: `/v1/orders/${order.orderId}/download-links`, body: () => sel, allowed: ['admin-agent', 'customer-global-admin'] },
      { method: 'GET', path: `/v1/orders/${order.orderId}/cancellation-eligibility`, allowed: ['admin-agent', 'global-admin', 'account-admin'] },
      {
        method: 'GET',
        path: '/v1/activity-log?from=2026-03-01&to=2026-03-31',
        allowed: ['global-admin', 'account-admin', 'referral-admin', 'marketing-content-admin'],
      },
      { method: 'GET', path: '/v1/credits?month=2026-04', allowed: ['global-admin', 'account-admin', 'back-office', 'analyst'] },
      { method: 'GET', path: '/v1/kms-migration/deadline?lastActivation=2026-01-01', allowed: roles },
      // Cancel last: it changes what later calls may do.
      { method: 'POST', path: `/v1/orders/${order.orderId}/cancel`, body: () => ({ reason: 'matrix' }), allowed: ['admin-agent'] },
    ];
    for (const route of routes) {
      await refused(401, route.method, route.path, undefined, route.body?.());
      for (const role of roles) {
        if (route.allowed.includes(role)) {
          const res = await call(route.method, route.path, token(tidFor(role), [role]), route.body?.());
          stats.cases++;
          expect({ route: `${route.method} ${route.path}`, role, status: res.status }).toEqual({
            route: `${route.method} ${route.path}`,
            role,
            status: expect.any(Number),
          });
          expect([200, 201]).toContain(res.status);
        } else {
          await refused(403, route.method, route.path, token(tidFor(role), [role]), route.body?.());
        }
      }
    }
    // A token with no roles at all, and one with an unknown role, may do nothing but the open routes.
    await refused(403, 'POST', `/v1/orders/${order.orderId}/keys`, token(partner, []), sel);
    await refused(403, 'POST', `/v1/orders/${order.orderId}/keys`, token(partner, ['superuser']), sel);
  });
});

describe('replays and back-office decisions', () => {
  it('refuse an idempotency key replayed with another body (409) and refund decisions by anyone but back office (403)', async () => {
    const { agent, customer, order } = await fixture();
    const orders = `/v1/customers/${customer.customerId}/orders`;
    const key = `po-${randomUUID()}`;
    expect((await call('POST', orders, agent, { lines: [{ sku: item.sku, quantity: 1 }], idempotencyKey: key })).status).toBe(201);
    for (const quantity of [2, 3]) await refused(409, 'POST', orders, agent, { lines: [{ sku: item.sku, quantity }], idempotencyKey: key });
    // The same key sent as the Idempotency-Key header counts the same.
    await refused(409, 'POST', orders, agent, { lines: [{ sku: item.sku, quantity: 4 }] }, { 'idempotency-key': key });
    const refund = (
      await call('POST', '/v1/refund-requests', agent, {
        orderId: order.orderId,
        tenantId: customerTenant,
        reason: 'dispute',
        amount: 10,
        contact: { name: 'A', email: 'a@b.example', phone: '123456' },
      })
    ).body;
    for (const role of ['admin-agent', 'global-admin', 'account-admin', 'analyst', 'customer-global-admin']) {
      await refused(
        403,
        'POST',
        `/v1/refund-requests/${refund.refundRequestId}/approve`,
        token(role === 'customer-global-admin' ? customerTenant : partner, [role]),
        {},
      );
      await refused(403, 'POST', `/v1/refund-requests/${refund.refundRequestId}/reject`, token(partner, [role]), { reason: 'x' });
    }
    await refused(404, 'POST', `/v1/refund-requests/${randomUUID()}/approve`, token(randomUUID(), ['back-office']), {});
  });
});

describe('refund credits (issue 12: a USD order credited in JPY; 107,900 USD paid, 1,294,800 USD credited)', () => {
  it('refuse a request in another currency than its order (400 currency_mismatch) and credits beyond what the order was paid (409 credit_exceeds_order), also when approvals race', async () => {
    const { agent, customer, order } = await fixture();
    const backOffice = token(randomUUID(), ['back-office']);
    const { amount: paid, currency } = order.lines[0];
    const body = (extra: object) => ({
      orderId: order.orderId,
      tenantId: order.customerTenantId,
      reason: 'dispute',
      contact: { name: 'A', email: 'a@b.example', phone: '123456' },
      ...extra,
    });
    const file = async (extra: object) => {
      const res = await call('POST', '/v1/refund-requests', agent, body(extra));
      expect(res.status).toBe(201);
      return res.body;
    };
    const approve = (id: string) => `/v1/refund-requests/${id}/approve`;

    // Another currency than the order's, refused; none given takes the order's.
    const yen = await refused(400, 'POST', '/v1/refund-requests', agent, body({ amount: paid, currency: currency === 'JPY' ? 'USD' : 'JPY' }));
    expect(yen.body.error).toEqual(
      expect.objectContaining({ code: 'currency_mismatch', details: expect.objectContaining({ field: 'currency', orderCurrencies: [currency] }) }),
    );
    const twelveTimes = await file({ amount: paid * 12 });
    expect(twelveTimes.amountRequested).toEqual({ amount: paid * 12, currency });

    // More than the order cost: refused, naming what is left; an explicit amount beyond it too.
    const over = await refused(409, 'POST', approve(twelveTimes.refundRequestId), backOffice, {});
    expect(over.body.error).toEqual(
      expect.objectContaining({ code: 'credit_exceeds_order', details: expect.objectContaining({ remaining: { amount: paid, currency } }) }),
    );
    expect((await refused(409, 'POST', approve(twelveTimes.refundRequestId), backOffice, { amount: paid + 1 })).body.error.code).toBe('credit_exceeds_order');

    // Twelve requests for the whole price, approved at once: one credit, eleven refusals.
    const requests = await Promise.all(Array.from({ length: 12 }, () => file({ amount: paid })));
    const approvals = await Promise.all(requests.map((r) => call('POST', approve(r.refundRequestId), backOffice, {})));
    stats.cases += approvals.length;
    expect(approvals.filter((a) => a.status === 200)).toHaveLength(1);
    expect(approvals.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(Array(11).fill('credit_exceeds_order'));
    // Nothing is left: even the smallest approval and the refunded order's cancellation credit nothing more.
    expect((await refused(409, 'POST', approve(twelveTimes.refundRequestId), backOffice, { amount: 1 })).body.error.details.remaining).toEqual({
      amount: 0,
      currency,
    });
    const cancelled = await call('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'refunded already' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.credits).toEqual([expect.objectContaining({ line: 1, amount: 0, currency })]);
    const credits = await call('GET', `/v1/credits?customerId=${customer.customerId}`, backOffice);
    expect(credits.body.totals).toEqual([{ amount: paid, currency }]);
    expect(credits.body.items).toHaveLength(1);
    // A request naming an order needs no tenant id or domain: the order says whose it is.
    const { tenantId: _tenant, ...withoutTenant } = body({ amount: 1 });
    const byOrderAlone = await call('POST', '/v1/refund-requests', agent, withoutTenant);
    expect(byOrderAlone.status).toBe(201);
    expect(byOrderAlone.body.tenantId).toBe(order.customerTenantId);
  });
});

describe('customer domains (SPEC §1: unique per partner, compared case-insensitively and after IDNA normalisation)', () => {
  it('registers an internationalised domain once, in any spelling', async () => {
    const agent = token(randomUUID(), ['admin-agent']);
    const register = (domain: string) => call('POST', '/v1/customers', agent, { name: 'Bücher', domain, market: 'DE' });
    const first = await register('bücher.example');
    expect(first.status).toBe(201);
    for (const again of ['BÜCHER.example', 'xn--bcher-kva.example', 'Bücher.Example.']) {
      const res = await register(again);
      expect({ again, status: res.status }).toEqual({ again, status: 409 });
    }
  });
});

describe('webhook destinations', () => {
  it('refuse internal targets in every spelling with 400 webhook_url_not_allowed naming url, recording nothing', async () => {
    const backOffice = token(randomUUID(), ['back-office']);
    const internal = [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/',
      'http://0xa9fea9fe/',
      'http://0251.0376.0251.0376/',
      'http://169.254.43518/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::ffff:169.254.169.254]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
      'http://0/',
      'http://[::]/',
      'http://127.0.0.1:8080/',
      'http://127.1/',
      'http://[::1]/',
      'http://localhost:3000/hook',
      'https://10.0.0.1/',
      'https://172.16.0.1/',
      'https://192.168.0.1/',
      'https://[fd00::1]/',
      'https://100.64.0.1/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
    ];
    for (const url of internal) {
      const res = await refused(400, 'POST', '/v1/webhooks', backOffice, { url });
      expect({ url, code: res.body.error.code, field: res.body.error.details?.field }).toEqual({ url, code: 'webhook_url_not_allowed', field: 'url' });
    }
  });

  it('stop start-up on a WEBHOOK_ALLOWED_HOSTS entry that is not a host, an address or a CIDR block', async () => {
    await expect(startServer({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,10.0.0.0/33' } })).rejects.toThrow(
      /WEBHOOK_ALLOWED_HOSTS: \\"10\.0\.0\.0\/33\\" is not a host name, an IP address or a CIDR block/,
    );
  });
});

describe('cross-tenant access', () => {
  it("answers 404 for another partner's customers and orders, keys, links and logs, and another tenant's admin", async () => {
    const { customer, order } = await fixture();
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const stranger = token(otherPartner, ['admin-agent']);
    const strangerAdmin = token(randomUUID(), ['customer-global-admin']);
    for (const tok of [stranger, strangerAdmin]) {
      await refused(404, 'POST', `/v1/orders/${order.orderId}/keys`, tok, sel);
      await refused(404, 'POST', `/v1/orders/${order.orderId}/download-links`, tok, sel);
      await refused(404, 'GET', `/v1/orders/${order.orderId}`, tok);
      await refused(404, 'GET', `/v1/customers/${customer.customerId}/software`, tok);
    }
    await refused(404, 'POST', `/v1/orders/${order.orderId}/cancel`, stranger, { reason: 'x' });
    await refused(404, 'GET', `/v1/orders/${order.orderId}/cancellation-eligibility`, stranger);
    await refused(404, 'POST', `/v1/customers/${customer.customerId}/orders`, stranger, { lines: [{ sku: item.sku, quantity: 1 }] });
    await refused(404, 'POST', '/v1/refund-requests', stranger, {
      orderId: order.orderId,
      tenantId: customerTenant,
      reason: 'x',
      amount: 1,
      contact: { name: 'a', email: 'a@b.example', phone: '123456' },
    });
    const logs = await call('GET', '/v1/activity-log?from=2026-01-01&to=2026-12-31', token(otherPartner, ['global-admin']));
    expect(logs.body.items).toEqual([]);
    await refused(404, 'GET', `/v1/activity-log?from=2026-01-01&to=2026-12-31&customerId=${customer.customerId}`, token(otherPartner, ['global-admin']));
  });
});

describe('forged and tampered tokens', () => {
  it('are refused with 401 and change nothing', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { sub: 'x', tid: partner, roles: ['admin-agent'], exp: Math.floor(Date.now() / 1000) + 600 };
    const sign = (header: object, payload: object, key = api.server.secret) => {
      const h = b64(header),
        p = b64(payload);
      return `${h}.${p}.${createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')}`;
    };
    const valid = sign({ alg: 'HS256', typ: 'JWT' }, claims);
    const forged = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      `${b64({ alg: 'none' })}.${b64(claims)}`,
      sign({ alg: 'HS256' }, claims, 'guessed-secret'),
      `${valid.split('.')[0]}.${b64({ ...claims, roles: ['admin-agent', 'global-admin'] })}.${valid.split('.')[2]}`,
      sign({ alg: 'HS512' }, claims),
      sign({ alg: 'RS256' }, claims),
      sign({ alg: 'HS256' }, { ...claims, exp: Math.floor(Date.now() / 1000) - 120 }),
      sign({ alg: 'HS256' }, { ...claims, nbf: Math.floor(Date.now() / 1000) + 3600 }),
      sign({ alg: 'HS256' }, { ...claims, tid: 'not-a-guid' }),
      sign({ alg: 'HS256' }, { sub: 'x', tid: partner }),
      sign({ alg: 'HS256' }, { ...claims, sub: '' }),
      'a.b.c',
      '',
      'x'.repeat(10_000),
    ];
    for (const t of forged) {
      await refused(401, 'POST', '/v1/customers', undefined, { name: 'X', domain: 'forged.example', market: 'FR' }, { authorization: `Bearer ${t}` });
    }
    await refused(
      401,
      'POST',
      '/v1/customers',
      undefined,
      { name: 'X', domain: 'forged.example', market: 'FR' },
      { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    );
    await refused(401, 'POST', '/v1/customers', undefined, { name: 'X', domain: 'forged.example', market: 'FR' }, { authorization: valid });
  });
});

describe('401 challenges', () => {
  it('carry WWW-Authenticate: Bearer, with error="invalid_token" when a token was given and refused', async () => {
    const body = { name: 'X', domain: 'challenge.example', market: 'FR' };
    const bare = await refused(401, 'POST', '/v1/customers', undefined, body);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    expect((await refused(401, 'GET', '/v1/catalog', undefined)).headers.get('www-authenticate')).toBe('Bearer');
    expect(
      (await refused(401, 'POST', '/v1/customers', undefined, body, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).headers.get(
        'www-authenticate',
      ),
    ).toBe('Bearer');
    const expired = tokenFor({ sub: 'x', tid: partner, roles: ['admin-agent'] }, -120);
    for (const bad of ['a.b.c', expired, `${token(partner, ['admin-agent'])}x`, 'not-a-jwt']) {
      const res = await refused(401, 'POST', '/v1/customers', undefined, body, { authorization: `Bearer ${bad}` });
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });
});

describe("the HTTP server's own refusals and limits", () => {
  const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

  it('answer a malformed request line with 400 and headers beyond 16 KiB with 431, in the error shape', async () => {
    const malformed = await rawExchange(api.server.port, 'GARBAGE / NOT-HTTP\r\n\r\n');
    expect(malformed).toEqual(expect.objectContaining({ status: 400, body: errorShape }));
    expect(malformed.body.error.code).toBe('malformed_request');
    expect(malformed.head).toMatch(/\r\ncontent-type: application\/json/i);
    const badHeader = await rawExchange(api.server.port, 'GET /v1/catalog HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n');
    expect(badHeader).toEqual(expect.objectContaining({ status: 400, body: errorShape }));
    const huge = await rawExchange(api.server.port, `GET /v1/catalog HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toEqual(expect.objectContaining({ status: 431, body: { error: { code: 'headers_too_large', message: expect.any(String) } } }));
    // The server is still fine.
    expect((await call('GET', '/health/live')).status).toBe(200);
  });

  it('close a socket that sends nothing, or its headers too slowly, or idles after a response, within the configured limits', async () => {
    const quick = await startServer({ env: { HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '300' } });
    try {
      const silent = await rawExchange(quick.port, undefined);
      expect(silent.closedAfterMs).toBeLessThan(2_000);
      expect(silent).toEqual(expect.objectContaining({ status: 408, body: { error: { code: 'request_timeout', message: expect.any(String) } } }));
      const slow = await rawExchange(quick.port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n');
      expect(slow.closedAfterMs).toBeLessThan(2_000);
      expect(slow.status).toBe(408);
      const idle = await rawExchange(quick.port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(idle.status).toBe(200);
      expect(idle.closedAfterMs).toBeLessThan(2_000);
    } finally {
      await quick.stop();
    }
  });
});

describe('abuse limits', () => {
  it('refuse a burst of reveals past the per-user limit with 429 and Retry-After, recorded once for back office', async () => {
    const { agent, order } = await fixture();
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const res = await call('POST', `/v1/orders/${order.orderId}/keys`, agent, sel);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(res.body.error.code).toBe('rate_limited');
        expect(res.body).not.toHaveProperty('productKey');
      }
    }
    // The fixture's other calls by this agent count too: at most 8 succeed in the window.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(8);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another user of the same partner is not affected.
    expect((await call('POST', `/v1/orders/${order.orderId}/keys`, token(partner, ['admin-agent'], 'another-agent'), sel)).status).toBe(200);
    const db = new Database(join(api.server.dataDir, 'events.sqlite'), { readonly: true });
    const throttled = db.prepare("SELECT data FROM events WHERE type = 'KeyAccessThrottled'").all() as { data: string }[];
    db.close();
    expect(throttled).toHaveLength(1);
    expect(JSON.parse(throttled[0]!.data)).toEqual(expect.objectContaining({ action: 'reveal-key', scope: 'user', orderId: order.orderId, limit: 8 }));
  });

  it('refuse a burst of link issues past the per-user limit with 429 and Retry-After, issuing no link', async () => {
    const { agent, order } = await fixture();
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await call('POST', `/v1/orders/${order.orderId}/download-links`, agent, sel));
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(4);
    for (const a of throttled) {
      expect(a.body.error.code).toBe('rate_limited');
      expect(a.body).not.toHaveProperty('url');
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

describe('hostile bodies and parameters', () => {
  it('refuse malformed, oversized and mistyped input with 400/404/413, never 500', async () => {
    const { agent, customer, order } = await fixture();
    const orders = `/v1/customers/${customer.customerId}/orders`;
    const quantities = [0, -1, -10_000, 10_001, 1e12, 1.5, Number.MAX_SAFE_INTEGER + 2, '1', '', null, true, [], {}, '1e3'];
    for (const quantity of quantities) await refused(400, 'POST', orders, agent, { lines: [{ sku: item.sku, quantity }] });
    for (const lines of [null, 'all', {}, [], [null], [[]], Array.from({ length: 101 }, () => ({ sku: item.sku, quantity: 1 }))])
      await refused(400, 'POST', orders, agent, { lines });
    await refused(400, 'POST', orders, agent, '{"lines": [', {});
    await refused(400, 'POST', orders, agent, '{"lines": [{"sku": "WS", "quantity": 1}]}}', {});
    await refused(400, 'POST', orders, agent, '"lines"');
    await refused(400, 'POST', orders, agent, JSON.stringify({ lines: [{ sku: item.sku, quantity: 1 }] }), { 'content-type': 'text/plain' });
    await refused(413, 'POST', orders, agent, JSON.stringify({ lines: [{ sku: item.sku, quantity: 1 }], idempotencyKey: 'k'.repeat(1_100_000) }));
    await refused(400, 'POST', orders, agent, JSON.stringify({ lines: [{ sku: item.sku, quantity: 1 }], idempotencyKey: 'k'.repeat(201) }));
    await refused(400, 'POST', orders, agent, `{"lines":[{"sku":"${item.sku}","quantity":1}],"__proto__":{"admin":true}}`);
    await refused(400, 'POST', orders, agent, `{"lines":[{"sku":"${item.sku}","quantity":1,"constructor":{"prototype":{"x":1}}}]}`);
    let deep: unknown = {};
    for (let i = 0; i < 2000; i++) deep = { a: deep };
    await refused(400, 'POST', orders, agent, { lines: [{ sku: item.sku, quantity: 1 }], deep });
    for (const id of ['not-a-uuid', '00000000-0000-0000-0000-000000000000x', "1' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', '%00']) {
      await refused(404, 'GET', `/v1/orders/${id}`, agent);
      await refused(404, 'POST', `/v1/orders/${id}/keys`, agent, { line: 1, version: 'x', language: 'x', fileType: 'x' });
    }
    for (const q of [
      'from=&to=',
      'from=2026-13-01&to=2026-12-01',
      'from=2026-03-01&to=2026-03-02&limit=0',
      'from=2026-03-01&to=2026-03-02&limit=abc',
      'from=2026-03-01&to=2026-03-02&cursor=abc',
      'from=2026-03-01&from=2026-03-02&to=2026-03-03',
      'from=2026-03-01&to=2026-03-02&evil=1',
    ]) {
      await refused(400, 'GET', `/v1/activity-log?${q}`, token(partner, ['global-admin']));
    }
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    for (const bad of [
      { ...sel, line: 0 },
      { ...sel, line: '1' },
      { ...sel, version: '' },
      { ...sel, language: 'x'.repeat(51) },
      { ...sel, keyType: 'KMS' },
      { ...sel, extra: 1 },
      {},
    ]) {
      await refused(400, 'POST', `/v1/orders/${order.orderId}/keys`, token(partner, ['admin-agent'], `fresh-${randomUUID()}`), bad);
    }
  });

  it('store unicode and injection strings verbatim where they are valid, and refuse them where they are not', async () => {
    const agent = token(partner, ['admin-agent']);
    const nasty = [
      "Robert'); DROP TABLE events;--",
      '<script>alert(1)</script>',
      '${7*7}{{7*7}}',
      'Ünïcödé 名前 🔑',
      '\u202Egnp.exe',
      'a\u0000b',
      '../../etc/passwd',
      '%s%s%n',
    ];
    for (const name of nasty) {
      const res = await call('POST', '/v1/customers', agent, { name, domain: `n-${randomUUID().slice(0, 8)}.example`, market: 'FR' });
      stats.cases++;
      expect([201, 400]).toContain(res.status);
      if (res.status === 201) {
        const read = await call('GET', `/v1/customers/${res.body.customerId}`, agent);
        expect(read.body.name).toBe(name.trim());
        expect(read.headers.get('content-type')).toMatch(/application\/json/);
      }
    }
    for (const domain of nasty) await refused(400, 'POST', '/v1/customers', agent, { name: 'X', domain, market: 'FR' });
    for (const market of nasty) await refused(400, 'POST', '/v1/customers', agent, { name: 'X', domain: 'ok.example', market });
  });

  it('refuse a market that is not an officially assigned ISO 3166-1 alpha-2 code with 400 invalid_market', async () => {
    const agent = token(partner, ['admin-agent']);
    // User-assigned (AA, QM–QZ, XA–XZ, ZZ), reserved or withdrawn (EU, UK, YU), never assigned (OO), not a code at all.
    for (const market of ['XX', 'ZZ', 'QQ', 'AA', 'XK', 'qm', 'EU', 'UK', 'YU', 'OO', 'FRA', 'F1', '', ' ']) {
      const res = await refused(400, 'POST', '/v1/customers', agent, { name: 'X', domain: `m-${randomUUID().slice(0, 8)}.example`, market });
      expect({ market, code: res.body.error.code, field: res.body.error.details?.field }).toEqual({ market, code: 'invalid_market', field: 'market' });
    }
    for (const market of ['AX', 'ss', 'TW']) {
      expect((await call('POST', '/v1/customers', agent, { name: 'X', domain: `m-${randomUUID().slice(0, 8)}.example`, market })).status).toBe(201);
    }
  });
});

describe('crypto-shredding', () => {
  it("destroys a customer tenant's key material: reveals answer 410, the audit trail stays, other tenants are untouched", async () => {
    const agent = token(partner, ['admin-agent']);
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const make = async () => {
      const c = (await call('POST', '/v1/customers', agent, { name: 'Shred', domain: `s-${randomUUID().slice(0, 8)}.example`, market: 'FR' })).body;
      const o = (await call('POST', `/v1/customers/${c.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
      return { c, o };
    };
    const victim = await make();
    const bystander = await make();
    const revealer = token(partner, ['admin-agent'], `shred-${randomUUID()}`);
    const before = await call('POST', `/v1/orders/${victim.o.orderId}/keys`, revealer, sel);
    expect(before.status).toBe(200);
    const bystanderKey = (await call('POST', `/v1/orders/${bystander.o.orderId}/keys`, revealer, sel)).body.productKey;

    await refused(403, 'POST', `/v1/customers/${victim.c.customerId}/key-material/destroy`, agent, { reason: 'offboarding' });
    await refused(404, 'POST', `/v1/customers/${victim.c.customerId}/key-material/destroy`, token(otherPartner, ['global-admin']), { reason: 'offboarding' });
    await refused(400, 'POST', `/v1/customers/${victim.c.customerId}/key-material/destroy`, token(partner, ['global-admin']), {});
    const destroyed = await call('POST', `/v1/customers/${victim.c.customerId}/key-material/destroy`, token(partner, ['global-admin']), {
      reason: 'offboarding',
    });
    expect(destroyed.status).toBe(200);

    const again = await refused(410, 'POST', `/v1/orders/${victim.o.orderId}/keys`, revealer, sel);
    expect(again.body.error.code).toBe('key_material_destroyed');
    await refused(410, 'POST', `/v1/orders/${victim.o.orderId}/keys`, revealer, { ...sel, version: item.versions[1] });
    expect((await call('POST', `/v1/orders/${bystander.o.orderId}/keys`, revealer, sel)).body.productKey).toBe(bystanderKey);
    // The audit trail is intact: the earlier reveal, with its fingerprint, is still in the activity log.
    const log = await call('GET', `/v1/activity-log?from=2026-01-01&to=2026-12-31&customerId=${victim.c.customerId}`, token(partner, ['global-admin']));
    expect(log.body.items).toEqual([expect.objectContaining({ kind: 'key-revealed', keyFingerprint: before.body.fingerprint })]);
    // Back office may shred any tenant.
    expect(
      (await call('POST', `/v1/customers/${bystander.c.customerId}/key-material/destroy`, token(randomUUID(), ['back-office']), { reason: 'legal request' }))
        .status,
    ).toBe(200);
  });
});

describe('refused reveals touch no key material', () => {
  it("create no data key for the customer's tenant: the domain refuses before anything is encrypted", async () => {
    const agent = token(partner, ['admin-agent']);
    const tenantId = randomUUID();
    const c = (await call('POST', '/v1/customers', agent, { name: 'Fresh', domain: `f-${randomUUID().slice(0, 8)}.example`, market: 'FR', tenantId })).body;
    const o = (await call('POST', `/v1/customers/${c.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const revealer = token(partner, ['admin-agent'], `fresh-${randomUUID()}`);
    const dataKeys = () => {
      const db = new Database(join(api.server.dataDir, 'keyring.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM data_keys WHERE tenant_id = ?').get(tenantId) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect((await refused(400, 'POST', `/v1/orders/${o.orderId}/keys`, revealer, { ...sel, keyType: 'KMS' })).body.error.code).toBe('kms_not_available');
    await refused(400, 'POST', `/v1/orders/${o.orderId}/keys`, revealer, { ...sel, line: 7 });
    await refused(400, 'POST', `/v1/orders/${o.orderId}/keys`, revealer, { ...sel, version: 'Windows 95' });
    expect(dataKeys()).toBe(0);
    expect((await call('POST', `/v1/orders/${o.orderId}/keys`, revealer, sel)).status).toBe(200);
    expect(dataKeys()).toBe(1);
  });
});

describe('HEAD on a download link', () => {
  it('answers what a GET would (200, 404, 410) with headers only, and counts and records nothing', async () => {
    const { customer, order } = await fixture();
    const agent = token(partner, ['admin-agent'], `head-${randomUUID()}`);
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const path = new URL((await call('POST', `/v1/orders/${order.orderId}/download-links`, agent, sel)).body.url).pathname;
    const headOnly = async (p: string, status: number) => {
      const before = await head();
      const res = await call('HEAD', p);
      expect({ p, status: res.status, body: res.text }).toEqual({ p, status, body: '' });
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(await head()).toBe(before);
      return res;
    };

    await headOnly(path, 200);
    expect((await call('GET', path)).body.downloadsRemaining).toBe(49);
    for (let i = 0; i < 3; i++) await headOnly(path, 200);
    expect((await call('GET', path)).body.downloadsRemaining).toBe(48);
    await headOnly(`${path.slice(0, -4)}AAAA`, 404);
    await headOnly('/v1/downloads/not-a-token', 404);
    // The activity log shows the two GETs, not the HEADs.
    const log = await call('GET', `/v1/activity-log?from=2026-01-01&to=2026-12-31&customerId=${customer.customerId}`, token(partner, ['global-admin']));
    expect(log.body.items.filter((e: any) => e.kind === 'software-downloaded')).toHaveLength(2);

    // Revoked with the order: HEAD and GET both 410, neither counted.
    expect((await call('POST', `/v1/orders/${order.orderId}/cancel`, token(partner, ['admin-agent']), { reason: 'head test' })).status).toBe(200);
    await headOnly(path, 410);
    await refused(410, 'GET', path, undefined);
  });
});

describe('secrets in logs', () => {
  it('never log product keys, link tokens, bearer tokens or contact details', async () => {
    const { agent, order } = await fixture();
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const other = token(partner, ['admin-agent'], `logs-${randomUUID()}`);
    const key = (await call('POST', `/v1/orders/${order.orderId}/keys`, other, sel)).body.productKey;
    const link = (await call('POST', `/v1/orders/${order.orderId}/download-links`, other, sel)).body.url;
    await call('GET', new URL(link).pathname);
    await call('GET', new URL(link).pathname + 'x');
    const contact = { name: 'Zoë Secret-Name', email: 'zoe.secret@contoso.example', phone: '+33 6 99 88 77 66' };
    await call('POST', '/v1/refund-requests', other, { orderId: order.orderId, tenantId: customerTenant, reason: 'x', amount: 100, contact });
    secrets.push(key, new URL(link).pathname.split('/').pop()!, other, agent, contact.email, contact.phone, contact.name);
    await new Promise((r) => setTimeout(r, 100));
    const logs = api.server.logs();
    expect(logs).toContain('"msg":"request"');
    for (const secret of secrets)
      expect({ secret: secret.slice(0, 12), inLogs: logs.includes(secret) }).toEqual({ secret: secret.slice(0, 12), inLogs: false });
    expect(logs).not.toMatch(/[BCDFGHJKMPQRTVWXY2346789]{5}-[BCDFGHJKMPQRTVWXY2346789]{5}-[BCDFGHJKMPQRTVWXY2346789]{5}-/);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
  });
});
