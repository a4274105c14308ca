/**
 * The read models over real HTTP: software list, order history, activity log and credits, with
 * the roles SPEC allows, read-your-writes, and a cancellation visible everywhere within a second.
 */
import { randomUUID } from 'node:crypto';
import { serverForFile } from '../support/file-server';

jest.setTimeout(120_000);
const { call, tokenFor } = serverForFile('read side', { clockStart: '2026-03-02T10:00:00Z' });
const partner = randomUUID();
const customerTenant = randomUUID();
const t = (tid: string, role: string) => tokenFor({ sub: `${role}-user`, tid, roles: [role] });
let agent: string;
let item: any;
let customerId: string;
const sel = () => ({ line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] });

beforeAll(async () => {
  agent = t(partner, 'admin-agent');
  item = (await call('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard');
  customerId = (await call('POST', '/v1/customers', agent, { name: 'Contoso', domain: 'contoso.example', market: 'FR', tenantId: customerTenant })).body
    .customerId;
});

describe('read models', () => {
  it('show a cancellation in the software list, order history, activity log and credits within one second', async () => {
    const order = (await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 2 }] })).body;
    const key = (await call('POST', `/v1/orders/${order.orderId}/keys`, agent, sel())).body;
    const link = (await call('POST', `/v1/orders/${order.orderId}/download-links`, agent, sel())).body;
    await call('GET', new URL(link.url).pathname);

    const before = await call('GET', `/v1/customers/${customerId}/software`, agent);
    expect(before.status).toBe(200);
    const line = before.body.items.find((i: any) => i.orderId === order.orderId);
    expect(line).toEqual(expect.objectContaining({ status: 'active', keyAvailable: true, versions: item.versions.slice(0, item.downgradeDepth + 1) }));
    expect(line.cancellation).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 30 }));
    expect(line.keys).toEqual([expect.objectContaining({ fingerprint: key.fingerprint, status: 'active', reveals: 1 })]);
    expect(JSON.stringify(before.body)).not.toContain(key.productKey);
    expect(line.downloadLinks).toEqual([expect.objectContaining({ linkId: link.linkId, downloads: 1, downloadsRemaining: 49, status: 'active' })]);

    const started = Date.now();
    const cancelled = await call('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'changed plans' });
    expect(cancelled.status).toBe(200);
    const globalAdmin = t(partner, 'global-admin');
    const [software, history, activity, credits] = await Promise.all([
      call('GET', `/v1/customers/${customerId}/software`, agent),
      call('GET', `/v1/customers/${customerId}/orders`, agent),
      call('GET', `/v1/activity-log?from=2026-03-01&to=2026-03-31`, globalAdmin),
      call('GET', `/v1/credits?month=2026-04`, globalAdmin),
    ]);
    const elapsed = Date.now() - started;
    const after = software.body.items.find((i: any) => i.orderId === order.orderId);
    expect(after).toEqual(expect.objectContaining({ status: 'cancelled', keyAvailable: false }));
    expect(after.keys[0].status).toBe('revoked');
    expect(after.downloadLinks[0].status).toBe('revoked');
    expect(after.cancellation).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0 }));
    expect(history.body.orders.find((o: any) => o.orderId === order.orderId)).toEqual(expect.objectContaining({ status: 'cancelled' }));
    expect(activity.body.items.map((e: any) => e.kind)).toEqual(['key-revealed', 'download-link-issued', 'software-downloaded']);
    expect(activity.body.items[0]).toEqual(
      expect.objectContaining({
        actor: expect.objectContaining({ sub: 'admin-agent-user', tid: partner, roles: ['admin-agent'] }),
        keyFingerprint: key.fingerprint,
        orderId: order.orderId,
      }),
    );
    expect(credits.body.items).toEqual([
      expect.objectContaining({
        orderId: order.orderId,
        line: 1,
        amount: item.unitPrice.amount * 2,
        currency: 'USD',
        invoiceMonth: '2026-04',
        taxInclusive: false,
      }),
    ]);
    expect(credits.body.totals).toEqual([{ amount: item.unitPrice.amount * 2, currency: 'USD' }]);
    expect(elapsed).toBeLessThan(1000);
  });

  it('read your writes: a query given the position of a command reflects it', async () => {
    const order = (await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
    expect(order.position).toMatch(/^\d+$/);
    const res = await call('GET', `/v1/customers/${customerId}/software?atLeast=${order.position}`, agent);
    expect(res.headers.get('x-read-model-stale')).toBeNull();
    expect(BigInt(res.headers.get('x-read-model-position')!)).toBeGreaterThanOrEqual(BigInt(order.position));
    expect(res.body.items.some((i: any) => i.orderId === order.orderId)).toBe(true);
    expect((await call('GET', `/v1/customers/${customerId}/software?atLeast=soon`, agent)).status).toBe(400);
  });

  it('let only the roles SPEC names read the activity log, for their own partner', async () => {
    for (const role of ['global-admin', 'account-admin', 'referral-admin', 'marketing-content-admin']) {
      expect((await call('GET', '/v1/activity-log?from=2026-03-01&to=2026-03-31', t(partner, role))).status).toBe(200);
    }
    expect((await call('GET', '/v1/activity-log?from=2026-03-01&to=2026-03-31', agent)).status).toBe(403);
    expect((await call('GET', '/v1/activity-log?from=2026-03-01&to=2026-03-31', t(customerTenant, 'customer-global-admin'))).status).toBe(403);
    const stranger = await call('GET', '/v1/activity-log?from=2026-03-01&to=2026-03-31', t(randomUUID(), 'global-admin'));
    expect(stranger.body.items).toEqual([]);
    expect((await call('GET', '/v1/activity-log?from=2026-03-01', t(partner, 'global-admin'))).status).toBe(400);
    expect((await call('GET', '/v1/activity-log?from=2026-03-31&to=2026-03-01', t(partner, 'global-admin'))).status).toBe(400);
    expect((await call('GET', '/v1/activity-log?from=yesterday&to=2026-03-01', t(partner, 'global-admin'))).status).toBe(400);
    expect((await call('GET', '/v1/activity-log?from=2026-04-01&to=2026-04-30', t(partner, 'global-admin'))).body.items).toEqual([]);
  });

  it('read the activity log range and ids by the rules the audit CLI shares (parseInstantRange, parseId)', async () => {
    const admin = t(partner, 'global-admin');
    const bad = await call('GET', '/v1/activity-log?from=2026-02-01&to=2026-02-29', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual(expect.objectContaining({ field: 'to' }));
    const lower = await call('GET', `/v1/activity-log?from=2026-03-01&to=2026-03-31&customerId=${customerId}`, admin);
    const upper = await call('GET', `/v1/activity-log?from=2026-03-01&to=2026-03-31&customerId=${customerId.toUpperCase()}`, admin);
    expect(lower.body.items.length).toBeGreaterThan(0);
    expect(upper.body.items).toEqual(lower.body.items);
    expect((await call('GET', '/v1/activity-log?from=2026-03-01&to=2026-03-31&customerId=not-an-id', admin)).status).toBe(400);
  });

  it('page the activity log with a cursor, without gaps or repeats', async () => {
    const order = (await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
    for (let i = 0; i < 5; i++) await call('POST', `/v1/orders/${order.orderId}/keys`, agent, sel());
    const admin = t(partner, 'global-admin');
    const all = (await call('GET', '/v1/activity-log?from=2026-01-01&to=2026-12-31&limit=1000', admin)).body.items.map((e: any) => e.entryId);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/activity-log?from=2026-01-01&to=2026-12-31&limit=2${cursor ? `&cursor=${cursor}` : ''}`, admin);
      paged.push(...page.body.items.map((e: any) => e.entryId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  it('page the software list, order history and credits with a cursor, without gaps or repeats, also when orders are bought between pages', async () => {
    const buyer = (await call('POST', '/v1/customers', agent, { name: 'Pages', domain: `pages-${randomUUID().slice(0, 8)}.example`, market: 'FR' })).body
      .customerId;
    const buy = async () =>
      (
        await call('POST', `/v1/customers/${buyer}/orders`, agent, {
          lines: [
            { sku: item.sku, quantity: 1 },
            { sku: item.sku, quantity: 2 },
          ],
        })
      ).body;
    const bought = [];
    for (let i = 0; i < 5; i++) bought.push(await buy());
    for (const order of bought.slice(0, 3)) expect((await call('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'pages' })).status).toBe(200);
    const admin = t(partner, 'global-admin');
    /** Every page of `path` with `limit`, following nextCursor; `between` runs after the first page. */
    const pages = async (path: string, who: string, field: string, limit: number, between?: () => Promise<unknown>) => {
      const seen: any[] = [];
      const answers: any[] = [];
      let cursor: string | undefined;
      do {
        const page = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, who);
        expect(page.status).toBe(200);
        expect(page.body[field].length).toBeLessThanOrEqual(limit);
        seen.push(...page.body[field]);
        answers.push(page.body);
        cursor = page.body.nextCursor;
        if (answers.length === 1) await between?.();
      } while (cursor);
      return { seen, answers };
    };
    const software = `/v1/customers/${buyer}/software`;
    const lineOf = (i: any) => `${i.orderId}#${i.line}`;
    const all = (await call('GET', software, agent)).body;
    expect(all.nextCursor).toBeUndefined();
    expect(all.items).toHaveLength(10);
    const softwarePages = await pages(software, agent, 'items', 3);
    expect(softwarePages.answers.map((a) => a.items.length)).toEqual([3, 3, 3, 1]);
    expect(softwarePages.seen.map(lineOf)).toEqual(all.items.map(lineOf));
    expect(softwarePages.answers.every((a) => a.customerId === buyer)).toBe(true);

    const history = `/v1/customers/${buyer}/orders`;
    const orderPages = await pages(history, agent, 'orders', 2, buy);
    const orderIds = orderPages.seen.map((o) => o.orderId);
    expect(new Set(orderIds).size).toBe(orderIds.length);
    expect(orderIds.slice(0, 5)).toEqual(bought.map((o) => o.orderId));
    expect(orderIds).toEqual((await call('GET', history, agent)).body.orders.map((o: any) => o.orderId));
    expect(orderIds).toHaveLength(6);

    const credits = `/v1/credits?customerId=${buyer}`;
    const whole = (await call('GET', credits, admin)).body;
    expect(whole.items).toHaveLength(6);
    const creditPages = await pages(credits, admin, 'items', 4);
    expect(creditPages.seen.map((c) => c.creditId)).toEqual(whole.items.map((c: any) => c.creditId));
    expect(creditPages.answers.map((a) => a.totals)).toEqual([whole.totals, whole.totals]);
    expect(whole.totals).toEqual([{ amount: item.unitPrice.amount * 9, currency: item.unitPrice.currency }]);
  });

  it('let customer admins see their own software list only, and analysts the credits of every partner', async () => {
    expect((await call('GET', `/v1/customers/${customerId}/software`, t(customerTenant, 'customer-global-admin'))).status).toBe(200);
    expect((await call('GET', `/v1/customers/${customerId}/software`, t(randomUUID(), 'customer-global-admin'))).status).toBe(404);
    expect((await call('GET', `/v1/customers/${customerId}/software`, t(randomUUID(), 'admin-agent'))).status).toBe(404);
    expect((await call('GET', `/v1/customers/${customerId}/software`, t(partner, 'analyst'))).status).toBe(403);
    expect((await call('GET', `/v1/customers/${randomUUID()}/software`, agent)).status).toBe(404);
    const analyst = await call('GET', '/v1/credits?month=2026-04', t(randomUUID(), 'analyst'));
    expect(analyst.status).toBe(200);
    expect(analyst.body.items.length).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/v1/credits?month=2026-04', t(randomUUID(), 'global-admin'))).body.items).toEqual([]);
    expect((await call('GET', '/v1/credits?month=2026-4', t(partner, 'global-admin'))).status).toBe(400);
    expect((await call('GET', '/v1/credits', agent)).status).toBe(403);
  });

  it('answer cancellation eligibility alike on the eligibility route and in the software list, for every class', async () => {
    const catalog: any[] = (await call('GET', '/v1/catalog', agent)).body.items;
    const sellable = (i: any) => !(i.unavailableMarkets ?? []).includes('FR');
    const skus = [
      catalog.find((i) => sellable(i) && i.cancellationClass === 'standard' && i.licenseType === 'perpetual'),
      catalog.find((i) => sellable(i) && i.cancellationClass === 'standard' && i.licenseType === 'subscription'),
      catalog.find((i) => sellable(i) && i.cancellationClass === 'support-request'),
      catalog.find((i) => sellable(i) && i.cancellationClass === 'non-cancellable'),
      catalog.find((i) => sellable(i) && i.cancellationClass === 'standard' && i.licenseType === 'perpetual'),
    ].map((i) => i.sku);
    const buyer = (await call('POST', '/v1/customers', agent, { name: 'Agreement', domain: `agreement-${randomUUID().slice(0, 8)}.example`, market: 'FR' }))
      .body.customerId;
    const order = (await call('POST', `/v1/customers/${buyer}/orders`, agent, { lines: skus.map((sku) => ({ sku, quantity: 1 })) })).body;
    const cancelled = await call('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'one line', lines: [5] });
    expect(cancelled.status).toBe(200);
    const route = (await call('GET', `/v1/orders/${order.orderId}/cancellation-eligibility`, agent)).body;
    const list = (await call('GET', `/v1/customers/${buyer}/software?atLeast=${cancelled.body.position}`, agent)).body.items.filter(
      (i: any) => i.orderId === order.orderId,
    );
    expect(list.map((i: any) => i.cancellation)).toEqual(route.lines.map(({ line: _line, ...answer }: any) => answer));
    expect(route.lines.map((l: any) => [l.eligible, l.reasonCode ?? null, 'deadline' in l])).toEqual([
      [true, null, true],
      [true, null, true],
      [false, 'refund_request_required', false],
      [false, 'not_cancellable', false],
      [false, 'line_cancelled', true],
    ]);
  });

  it('report read-model lag on the readiness probe', async () => {
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.readModels.map((m: any) => m.model).sort()).toEqual([
      'activity-log',
      'analytics',
      'credits',
      'customers',
      'order-history',
      'software-list',
    ]);
    expect(ready.body.readModels.every((m: any) => m.caughtUp)).toBe(true);
  });
});
