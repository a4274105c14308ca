/**
 * The full life of an order over real HTTP against the compiled service: purchase → key → link →
 * download → cancel, every refusal code of SPEC §2 (400/401/403/404/409/410), and restarts on the
 * same DATA_DIR with a later CLOCK_START — in every deployment shape (test/support/shapes.ts).
 * Every answer is also checked against the served OpenAPI document (test/support/response-contract.ts).
 */
import { randomUUID } from 'node:crypto';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken } from '../support/server';
import { shapesFor, startShape, tearDownShapes, type Deployment } from '../support/shapes';

jest.setTimeout(120_000);
checkResponsesAgainstDocument('order life');

const START = '2026-03-02T10:00:00.000Z';
let server: Deployment;
let call: ReturnType<typeof client>;
const partner = randomUUID();
const otherPartner = randomUUID();
const tenant = randomUUID();
let agent: string,
  otherAgent: string,
  globalAdmin: string,
  accountAdmin: string,
  analyst: string,
  backOffice: string,
  customerAdmin: string,
  strangerAdmin: string;
let catalog: any[];
const sku = (predicate: (item: any) => boolean) => {
  const item = catalog.find(predicate);
  if (!item) throw new Error('catalog lacks a SKU the test needs');
  return item;
};
const perpetual = () => sku((i) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard' && i.downgradeDepth >= 2);
const subscription = () => sku((i) => i.licenseType === 'subscription' && i.cancellationClass === 'standard' && !i.unavailableMarkets);
const selection = (item: any, version = item.versions[0]) => ({ line: 1, version, language: item.languages[0], fileType: item.fileTypes[0] });

async function newCustomer(market = 'FR', token = agent, tenantId = randomUUID()) {
  const res = await call('POST', '/v1/customers', token, { name: 'Contoso ' + market, domain: `c-${randomUUID().slice(0, 8)}.example`, market, tenantId });
  expect(res.status).toBe(201);
  return res.body as { customerId: string; tenantId: string };
}

async function purchase(customerId: string, lines: { sku: string; quantity: number }[], extra: object = {}) {
  return call('POST', `/v1/customers/${customerId}/orders`, agent, { lines, ...extra });
}

describe.each(shapesFor('order-life'))('order life, $name shape', (shape) => {
  beforeAll(async () => {
    server = await startShape(shape, { clockStart: START });
    call = client(server.baseUrl);
    const t = (tid: string, ...roles: string[]) => mintToken(server.secret, { sub: `${roles[0]}-user`, tid, roles });
    agent = t(partner, 'admin-agent');
    otherAgent = t(otherPartner, 'admin-agent');
    globalAdmin = t(partner, 'global-admin');
    accountAdmin = t(partner, 'account-admin');
    analyst = t(randomUUID(), 'analyst');
    backOffice = t(randomUUID(), 'back-office');
    customerAdmin = t(tenant, 'customer-global-admin');
    strangerAdmin = t(randomUUID(), 'customer-global-admin');
    catalog = (await call('GET', '/v1/catalog', agent)).body.items;
  });

  afterAll(async () => {
    await server?.stop();
    await tearDownShapes();
  });

  describe('authentication', () => {
    it('refuses a missing, malformed, forged or expired token with 401 in the error shape', async () => {
      for (const token of [
        undefined,
        'not-a-jwt',
        mintToken('another-secret', { sub: 'x', tid: partner, roles: ['admin-agent'] }),
        mintToken(server.secret, { sub: 'x', tid: partner, roles: ['admin-agent'] }, -60),
      ]) {
        const res = await call('POST', '/v1/customers', token, { name: 'x', domain: 'x.example', market: 'FR' });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthenticated');
        expect(typeof res.body.error.message).toBe('string');
      }
    });
  });

  describe('customers and catalog', () => {
    it('lists the catalog with the SPEC fields', async () => {
      const res = await call('GET', '/v1/catalog', analyst);
      expect(res.status).toBe(200);
      for (const item of res.body.items) {
        expect(item).toEqual(
          expect.objectContaining({
            sku: expect.any(String),
            family: expect.any(String),
            name: expect.any(String),
            licenseType: expect.stringMatching(/^(perpetual|subscription)$/),
            unitPrice: { amount: expect.any(Number), currency: expect.stringMatching(/^[A-Z]{3}$/) },
            versions: expect.any(Array),
            languages: expect.any(Array),
            fileTypes: expect.any(Array),
            downgradeDepth: expect.any(Number),
            cancellationClass: expect.stringMatching(/^(standard|support-request|non-cancellable)$/),
          }),
        );
        if (item.licenseType === 'subscription') expect([12, 36]).toContain(item.termMonths);
      }
      const azure = res.body.items.find((i: any) => i.unavailableMarkets);
      expect(azure.unavailableMarkets).toHaveLength(106);
    });

    it('registers a customer once per tenant id and per domain', async () => {
      const res = await call('POST', '/v1/customers', agent, { name: 'Contoso', domain: 'Contoso.Example', market: 'fr', tenantId: tenant });
      expect(res.status).toBe(201);
      expect(res.body).toEqual(expect.objectContaining({ customerId: expect.any(String), tenantId: tenant }));
      expect((await call('POST', '/v1/customers', agent, { name: 'Again', domain: 'other.example', market: 'FR', tenantId: tenant })).status).toBe(409);
      expect((await call('POST', '/v1/customers', agent, { name: 'Again', domain: 'contoso.example', market: 'FR' })).status).toBe(409);
      // Another partner may have its own customer with that tenant id.
      expect((await call('POST', '/v1/customers', otherAgent, { name: 'Theirs', domain: 'contoso.example', market: 'FR', tenantId: tenant })).status).toBe(201);
    });

    it('refuses bad customer input with 400 naming the field, and roles that may not register with 403', async () => {
      const bad = await call('POST', '/v1/customers', agent, { name: 'x', domain: 'x.example', market: 'France' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('market');
      const unknown = await call('POST', '/v1/customers', agent, { name: 'x', domain: 'x.example', market: 'FR', vip: true });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.field).toBe('vip');
      expect((await call('POST', '/v1/customers', agent, { name: 'x'.repeat(1001), domain: 'x.example', market: 'FR' })).status).toBe(400);
      expect((await call('POST', '/v1/customers', analyst, { name: 'x', domain: 'y.example', market: 'FR' })).status).toBe(403);
      expect((await call('POST', '/v1/customers', customerAdmin, { name: 'x', domain: 'z.example', market: 'FR' })).status).toBe(403);
    });
  });

  describe('purchase', () => {
    it('creates an order with numbered lines, amounts in minor units and the policy in force', async () => {
      const { customerId } = await newCustomer();
      const item = perpetual();
      const res = await purchase(customerId, [
        { sku: item.sku, quantity: 3 },
        { sku: subscription().sku, quantity: 1 },
      ]);
      expect(res.status).toBe(201);
      expect(res.body.orderId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.taxInclusive).toBe(false);
      expect(res.body.lines[0]).toEqual(
        expect.objectContaining({ line: 1, sku: item.sku, quantity: 3, amount: item.unitPrice.amount * 3, currency: item.unitPrice.currency }),
      );
      expect(res.body.lines[1].line).toBe(2);
      expect(res.body.cancellationPolicy.id).toBe('csp-2023-06-30');
    });

    it('marks purchases in Australia and Brazil tax-inclusive', async () => {
      for (const market of ['AU', 'BR']) {
        const { customerId } = await newCustomer(market);
        expect((await purchase(customerId, [{ sku: perpetual().sku, quantity: 1 }])).body.taxInclusive).toBe(true);
      }
    });

    it('answers a retry with the same idempotency key with the first order, and refuses the key with another body', async () => {
      const { customerId } = await newCustomer();
      const body = { lines: [{ sku: perpetual().sku, quantity: 2 }], idempotencyKey: 'po-' + randomUUID() };
      const first = await purchase(customerId, body.lines, { idempotencyKey: body.idempotencyKey });
      const again = await purchase(customerId, body.lines, { idempotencyKey: body.idempotencyKey });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.orderId).toBe(first.body.orderId);
      const other = await purchase(customerId, [{ sku: perpetual().sku, quantity: 5 }], { idempotencyKey: body.idempotencyKey });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_key_reused');
    });

    it('refuses invalid orders with 400 naming the field', async () => {
      const { customerId } = await newCustomer();
      const cases: [unknown, string][] = [
        [{ lines: [{ sku: perpetual().sku, quantity: 0 }] }, 'lines[0].quantity'],
        [{ lines: [{ sku: perpetual().sku, quantity: 10_001 }] }, 'lines[0].quantity'],
        [{ lines: [{ sku: perpetual().sku, quantity: 1.5 }] }, 'lines[0].quantity'],
        [{ lines: [{ sku: perpetual().sku, quantity: '1' }] }, 'lines[0].quantity'],
        [{ lines: [] }, 'lines'],
        [{ lines: Array.from({ length: 101 }, () => ({ sku: perpetual().sku, quantity: 1 })) }, 'lines'],
        [{ lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] }, 'lines[0].sku'],
        [{ lines: [{ sku: perpetual().sku, quantity: 1, discount: 5 }] }, 'lines[0].discount'],
      ];
      for (const [body, field] of cases) {
        const res = await call('POST', `/v1/customers/${customerId}/orders`, agent, body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.error.details?.field).toBe(field);
      }
    });

    it('refuses an Azure reservation in a market where it is not sold', async () => {
      const azure = sku((i) => Array.isArray(i.unavailableMarkets) && i.unavailableMarkets.includes('AQ'));
      const { customerId } = await newCustomer('AQ');
      const res = await purchase(customerId, [{ sku: azure.sku, quantity: 1 }]);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('market_not_available');
      const fr = await newCustomer('FR');
      expect((await purchase(fr.customerId, [{ sku: azure.sku, quantity: 1 }])).status).toBe(201);
    });

    it('lets only the partner admin agent buy, only for its own customers', async () => {
      const { customerId } = await newCustomer();
      const lines = [{ sku: perpetual().sku, quantity: 1 }];
      expect((await call('POST', `/v1/customers/${customerId}/orders`, globalAdmin, { lines })).status).toBe(403);
      expect((await call('POST', `/v1/customers/${customerId}/orders`, customerAdmin, { lines })).status).toBe(403);
      expect((await call('POST', `/v1/customers/${customerId}/orders`, otherAgent, { lines })).status).toBe(404);
      expect((await call('POST', `/v1/customers/${randomUUID()}/orders`, agent, { lines })).status).toBe(404);
      expect((await call('POST', `/v1/customers/not-a-uuid/orders`, agent, { lines })).status).toBe(404);
    });
  });

  describe('keys, links, downloads and cancellation', () => {
    let orderId: string;
    let item: any;
    beforeAll(() => {
      item = perpetual();
    });

    it('reveals the same MAK key for the same selection, to the agent and the customer admin only', async () => {
      const customerAdminTenant = randomUUID();
      const { customerId } = await newCustomer('FR', agent, customerAdminTenant);
      const o = await purchase(customerId, [{ sku: item.sku, quantity: 1 }]);
      orderId = o.body.orderId;
      const first = await call('POST', `/v1/orders/${orderId}/keys`, agent, selection(item));
      expect(first.status).toBe(200);
      expect(first.body.productKey).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
      const again = await call('POST', `/v1/orders/${orderId}/keys`, agent, selection(item));
      expect(again.body.productKey).toBe(first.body.productKey);
      const ownAdmin = mintToken(server.secret, { sub: 'cust-admin', tid: customerAdminTenant, roles: ['customer-global-admin'] });
      expect((await call('POST', `/v1/orders/${orderId}/keys`, ownAdmin, selection(item))).body.productKey).toBe(first.body.productKey);
      expect((await call('POST', `/v1/orders/${orderId}/keys`, strangerAdmin, selection(item))).status).toBe(404);
      expect((await call('POST', `/v1/orders/${orderId}/keys`, otherAgent, selection(item))).status).toBe(404);
      expect((await call('POST', `/v1/orders/${orderId}/keys`, globalAdmin, selection(item))).status).toBe(403);
      expect((await call('POST', `/v1/orders/${randomUUID()}/keys`, agent, selection(item))).status).toBe(404);
    });

    it('allows downgrades within the rights and refuses KMS and older versions with 400', async () => {
      const n2 = await call('POST', `/v1/orders/${orderId}/keys`, agent, selection(item, item.versions[2]));
      expect(n2.status).toBe(200);
      if (item.versions.length > 3) {
        const n3 = await call('POST', `/v1/orders/${orderId}/keys`, agent, selection(item, item.versions[3]));
        expect(n3.status).toBe(400);
        expect(n3.body.error.code).toBe('version_not_entitled');
      }
      const kms = await call('POST', `/v1/orders/${orderId}/keys`, agent, { ...selection(item), keyType: 'KMS' });
      expect(kms.status).toBe(400);
      expect(kms.body.error.code).toBe('kms_not_available');
      expect(kms.body.error.message).toMatch(/MAK/);
      expect((await call('POST', `/v1/orders/${orderId}/keys`, agent, { ...selection(item), line: 9 })).status).toBe(400);
      expect((await call('POST', `/v1/orders/${orderId}/keys`, agent, { ...selection(item), language: 'xx-xx' })).status).toBe(400);
    });

    it('issues a link good for downloads without a token, counted down from 50', async () => {
      const link = await call('POST', `/v1/orders/${orderId}/download-links`, agent, selection(item));
      expect(link.status).toBe(201);
      expect(link.body).toEqual(expect.objectContaining({ linkId: expect.any(String), url: expect.any(String), downloadsRemaining: 50 }));
      expect(Date.parse(link.body.expiresAt) - Date.parse(START)).toBeGreaterThanOrEqual(14 * 86_400_000 - 60_000);
      const d1 = await call('GET', link.body.url.replace(/^https?:\/\/[^/]+/, server.baseUrl));
      expect(d1.status).toBe(200);
      expect(d1.body.downloadsRemaining).toBe(49);
      expect(JSON.stringify(d1.body)).not.toMatch(/productKey/);
      expect((await call('GET', '/v1/downloads/' + orderId + '.' + 'A'.repeat(43))).status).toBe(404);
      // What can never be issued is refused with the field named, like a reveal.
      const noLine = await call('POST', `/v1/orders/${orderId}/download-links`, agent, { ...selection(item), line: 9 });
      expect({ status: noLine.status, code: noLine.body.error.code }).toEqual({ status: 400, code: 'unknown_line' });
      expect((await call('POST', `/v1/orders/${orderId}/download-links`, agent, { ...selection(item), language: 'xx-xx' })).status).toBe(400);
    });

    it("tells eligibility, cancels with a full credit on next month's invoice, then refuses keys (409) and links (410)", async () => {
      const e = await call('GET', `/v1/orders/${orderId}/cancellation-eligibility`, agent);
      expect((await call('GET', `/v1/orders/${orderId}/cancellation-eligibility`, accountAdmin)).status).toBe(200);
      expect((await call('GET', `/v1/orders/${orderId}/cancellation-eligibility`, customerAdmin)).status).toBe(403);
      expect(e.status).toBe(200);
      expect(e.body).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 30 }));
      const link = await call('POST', `/v1/orders/${orderId}/download-links`, agent, selection(item));
      expect((await call('POST', `/v1/orders/${orderId}/cancel`, globalAdmin, { reason: 'x' })).status).toBe(403);
      expect((await call('POST', `/v1/orders/${orderId}/cancel`, otherAgent, { reason: 'x' })).status).toBe(404);
      expect((await call('POST', `/v1/orders/${orderId}/cancel`, agent, {})).status).toBe(400);
      const x = await call('POST', `/v1/orders/${orderId}/cancel`, agent, { reason: 'customer changed plans' });
      expect(x.status).toBe(200);
      expect(x.body.credits).toEqual([{ line: 1, amount: item.unitPrice.amount, currency: item.unitPrice.currency, invoiceMonth: '2026-04' }]);
      expect((await call('POST', `/v1/orders/${orderId}/keys`, agent, selection(item))).status).toBe(409);
      expect((await call('POST', `/v1/orders/${orderId}/download-links`, agent, selection(item))).status).toBe(409);
      expect((await call('GET', link.body.url.replace(/^https?:\/\/[^/]+/, server.baseUrl))).status).toBe(410);
      expect((await call('POST', `/v1/orders/${orderId}/cancel`, agent, { reason: 'again' })).status).toBe(409);
      const after = await call('GET', `/v1/orders/${orderId}/cancellation-eligibility`, agent);
      expect(after.body).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0 }));
    });

    it('refuses direct cancellation of support-request and non-cancellable products with 409', async () => {
      const { customerId } = await newCustomer();
      for (const cls of ['support-request', 'non-cancellable']) {
        const product = sku((i) => i.cancellationClass === cls);
        const o = await purchase(customerId, [{ sku: product.sku, quantity: 1 }]);
        const res = await call('POST', `/v1/orders/${o.body.orderId}/cancel`, agent, { reason: 'x' });
        expect(res.status).toBe(409);
        expect((await call('GET', `/v1/orders/${o.body.orderId}/cancellation-eligibility`, agent)).body.eligible).toBe(false);
      }
    });

    it('cancels named lines only, each with its own credit; a refused line cancels nothing', async () => {
      const { customerId } = await newCustomer();
      const esu = sku((i) => i.cancellationClass === 'support-request');
      const o = await purchase(customerId, [
        { sku: perpetual().sku, quantity: 1 },
        { sku: subscription().sku, quantity: 2 },
        { sku: esu.sku, quantity: 1 },
      ]);
      const refused = await call('POST', `/v1/orders/${o.body.orderId}/cancel`, agent, { reason: 'x', lines: [1, 3] });
      expect(refused.status).toBe(409);
      const partial = await call('POST', `/v1/orders/${o.body.orderId}/cancel`, agent, { reason: 'x', lines: [2] });
      expect(partial.status).toBe(200);
      expect(partial.body.credits).toHaveLength(1);
      expect(partial.body.credits[0].line).toBe(2);
      // Cancelled a few seconds after purchase: the prorated credit is the whole amount (no whole day elapsed).
      expect(partial.body.credits[0].amount).toBe(o.body.lines[1].amount);
      const order = await call('GET', `/v1/orders/${o.body.orderId}`, agent);
      expect(order.body.lines.map((l: any) => l.status)).toEqual(['active', 'cancelled', 'active']);
      expect((await call('POST', `/v1/orders/${o.body.orderId}/cancel`, agent, { reason: 'x', lines: [7] })).status).toBe(400);
    });

    it('downloads at most 50 times through one link; re-issuing gives a fresh link', async () => {
      const { customerId } = await newCustomer();
      const o = await purchase(customerId, [{ sku: item.sku, quantity: 1 }]);
      const link = await call('POST', `/v1/orders/${o.body.orderId}/download-links`, agent, selection(item));
      const url = link.body.url.replace(/^https?:\/\/[^/]+/, server.baseUrl);
      let last: any;
      for (let i = 0; i < 50; i++) last = await call('GET', url);
      expect(last.status).toBe(200);
      expect(last.body.downloadsRemaining).toBe(0);
      const fiftyFirst = await call('GET', url);
      expect(fiftyFirst.status).toBe(410);
      expect(fiftyFirst.body.error.code).toBe('link_exhausted');
      const fresh = await call('POST', `/v1/orders/${o.body.orderId}/download-links`, agent, selection(item));
      expect(fresh.body.downloadsRemaining).toBe(50);
      expect((await call('GET', fresh.body.url.replace(/^https?:\/\/[^/]+/, server.baseUrl))).status).toBe(200);
    });
  });

  describe('refund requests', () => {
    it('are filed by the partner for a support-request product and approved by back office into a credit', async () => {
      const { customerId, tenantId } = await newCustomer();
      const esu = sku((i) => i.cancellationClass === 'support-request');
      const o = await purchase(customerId, [{ sku: esu.sku, quantity: 1 }]);
      const body = {
        tenantId,
        orderId: o.body.orderId,
        reason: 'ESU bought by mistake',
        amount: 1000,
        contact: { name: 'Ana', email: 'ana@contoso.example', phone: '+33 1 23 45 67 89' },
        attachments: ['invoice.pdf'],
      };
      expect((await call('POST', '/v1/refund-requests', globalAdmin, { ...body, contact: { ...body.contact, email: 'nope' } })).status).toBe(400);
      expect((await call('POST', '/v1/refund-requests', otherAgent, body)).status).toBe(404);
      const filed = await call('POST', '/v1/refund-requests', agent, body);
      expect(filed.status).toBe(201);
      expect(filed.body.status).toBe('submitted');
      const id = filed.body.refundRequestId;
      expect((await call('POST', `/v1/refund-requests/${id}/approve`, agent, {})).status).toBe(403);
      const approved = await call('POST', `/v1/refund-requests/${id}/approve`, backOffice, {});
      expect(approved.status).toBe(200);
      expect(approved.body.credit).toEqual(expect.objectContaining({ amount: 1000, invoiceMonth: '2026-04' }));
      expect((await call('POST', `/v1/refund-requests/${id}/reject`, backOffice, { reason: 'late' })).status).toBe(409);
    });
  });

  describe('KMS to MAK migration', () => {
    it('tells the deadline 180 days after the last KMS activation', async () => {
      const res = await call('GET', '/v1/kms-migration/deadline?lastActivation=2026-01-10', agent);
      expect(res.status).toBe(200);
      expect(res.body.deadline).toBe('2026-07-09T00:00:00.000Z');
      expect((await call('GET', '/v1/kms-migration/deadline?lastActivation=soon', agent)).status).toBe(400);
    });
  });

  describe('malformed requests', () => {
    it('answer 400 for broken JSON, 413 for bodies over 1 MiB, 404 for unknown routes — never 500', async () => {
      const broken = await call('POST', '/v1/customers', agent, '{"name": ');
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('malformed_json');
      const huge = await call('POST', '/v1/customers', agent, JSON.stringify({ name: 'x'.repeat(1_100_000) }));
      expect([400, 413]).toContain(huge.status);
      expect((await call('GET', '/v1/nothing-here', agent)).status).toBe(404);
      expect((await call('POST', '/v1/customers', agent, '[]')).status).toBe(400);
      expect((await call('POST', '/v1/customers', agent, 'null')).status).toBe(400);
    });
  });
});
