/**
 * Analysts' endpoints against hand-computed expectations on a known scenario, JSON and CSV.
 * Prices come from config/catalog.json: WS2025-STD 1,079.00, SQL2022-STD 3,945.00,
 * OFFICE-LTSC-2024-PP 574.00 (USD, minor units).
 */
import { randomUUID } from 'node:crypto';
import { serverForFile } from '../support/file-server';

jest.setTimeout(60_000);
const { call, tokenFor } = serverForFile('analytics', { clockStart: '2026-03-02T10:00:00Z' });
const p1 = randomUUID();
const p2 = randomUUID();
let analyst: string;

beforeAll(async () => {
  analyst = tokenFor({ sub: 'analyst', tid: randomUUID(), roles: ['analyst'] });
  const a1 = tokenFor({ sub: 'a1', tid: p1, roles: ['admin-agent'] });
  const a2 = tokenFor({ sub: 'a2', tid: p2, roles: ['admin-agent'] });
  const customer = async (token: string, market: string) =>
    (await call('POST', '/v1/customers', token, { name: market, domain: `${market}-${randomUUID().slice(0, 6)}.example`, market })).body.customerId;
  const buy = async (token: string, customerId: string, lines: { sku: string; quantity: number }[]) =>
    (await call('POST', `/v1/customers/${customerId}/orders`, token, { lines })).body.orderId;
  const fr = await customer(a1, 'FR');
  const au = await customer(a1, 'AU');
  const de = await customer(a2, 'DE');
  const orderA = await buy(a1, fr, [
    { sku: 'WS2025-STD', quantity: 2 },
    { sku: 'SQL2022-STD', quantity: 1 },
  ]);
  await buy(a1, au, [{ sku: 'WS2025-STD', quantity: 1 }]);
  const orderC = await buy(a2, de, [{ sku: 'OFFICE-LTSC-2024-PP', quantity: 3 }]);
  const ws = { line: 1, version: '2025', language: 'en-us', fileType: 'x64' };
  await call('POST', `/v1/orders/${orderA}/keys`, a1, ws);
  await call('POST', `/v1/orders/${orderA}/keys`, a1, ws);
  await call('POST', `/v1/orders/${orderC}/keys`, a2, { line: 1, version: '2024', language: 'en-us', fileType: 'x64' });
  const link = (await call('POST', `/v1/orders/${orderA}/download-links`, a1, ws)).body.url;
  await call('GET', new URL(link).pathname);
  await call('GET', new URL(link).pathname);
  expect((await call('POST', `/v1/orders/${orderA}/cancel`, a1, { reason: 'x' })).status).toBe(200);
  expect((await call('POST', `/v1/orders/${orderC}/cancel`, a2, { reason: 'x' })).status).toBe(200);
});

const usd = (amount: number) => [{ amount, currency: 'USD' }];

it('purchases by SKU, by market, and by both, for everyone or one partner', async () => {
  const bySku = await call('GET', '/v1/analytics/purchases?groupBy=sku', analyst);
  expect(bySku.body).toEqual({
    items: [
      { sku: 'OFFICE-LTSC-2024-PP', family: 'Office', lines: 1, quantity: 3, amounts: usd(172_200) },
      { sku: 'SQL2022-STD', family: 'SQL Server', lines: 1, quantity: 1, amounts: usd(394_500) },
      { sku: 'WS2025-STD', family: 'Windows Server', lines: 2, quantity: 3, amounts: usd(323_700) },
    ],
    total: 3,
    offset: 0,
    limit: 100,
  });
  const byMarket = await call('GET', '/v1/analytics/purchases?groupBy=market', analyst);
  expect(byMarket.body.items).toEqual([
    { market: 'AU', lines: 1, quantity: 1, amounts: usd(107_900) },
    { market: 'DE', lines: 1, quantity: 3, amounts: usd(172_200) },
    { market: 'FR', lines: 2, quantity: 3, amounts: usd(610_300) },
  ]);
  const both = await call('GET', '/v1/analytics/purchases?groupBy=sku,market&limit=2&offset=1', analyst);
  expect(both.body.total).toBe(4);
  expect(both.body.items.map((i: any) => `${i.sku}/${i.market}`)).toEqual(['SQL2022-STD/FR', 'WS2025-STD/AU']);
  const own = await call('GET', '/v1/analytics/purchases', tokenFor({ sub: 'g', tid: p1, roles: ['global-admin'] }));
  expect(own.body.items.map((i: any) => [i.sku, i.quantity])).toEqual([
    ['SQL2022-STD', 1],
    ['WS2025-STD', 3],
  ]);
});

it('key reveals, link issues and downloads per day', async () => {
  const res = await call('GET', '/v1/analytics/key-access?from=2026-03-01&to=2026-03-31', analyst);
  expect(res.body.items).toEqual([{ day: '2026-03-02', keyReveals: 3, linkIssues: 1, downloads: 2 }]);
  expect((await call('GET', '/v1/analytics/key-access?from=2026-04-01&to=2026-04-30', analyst)).body.items).toEqual([]);
  const p2Only = await call('GET', `/v1/analytics/key-access?from=2026-03-01&to=2026-03-31&partnerTenantId=${p2}`, analyst);
  expect(p2Only.body.items).toEqual([{ day: '2026-03-02', keyReveals: 1, linkIssues: 0, downloads: 0 }]);
});

it('cancellation rate and average days to cancel', async () => {
  const res = await call('GET', '/v1/analytics/cancellations', analyst);
  expect(res.body).toEqual({ orders: 3, cancelledOrders: 2, cancellationRate: 0.6667, averageDaysToCancel: 0 });
  expect((await call('GET', `/v1/analytics/cancellations?partnerTenantId=${p1}`, analyst)).body).toEqual({
    orders: 2,
    cancelledOrders: 1,
    cancellationRate: 0.5,
    averageDaysToCancel: 0,
  });
});

it('credits by invoice month and partner, customer or product family', async () => {
  const byFamily = await call('GET', '/v1/analytics/credits?groupBy=family&month=2026-04', analyst);
  expect(byFamily.body.items).toEqual([
    { invoiceMonth: '2026-04', family: 'Office', credits: 1, amounts: usd(172_200) },
    { invoiceMonth: '2026-04', family: 'SQL Server', credits: 1, amounts: usd(394_500) },
    { invoiceMonth: '2026-04', family: 'Windows Server', credits: 1, amounts: usd(215_800) },
  ]);
  const byPartner = await call('GET', '/v1/analytics/credits?groupBy=partner', analyst);
  expect(byPartner.body.items).toEqual(
    [
      { invoiceMonth: '2026-04', partnerTenantId: p1, credits: 2, amounts: usd(610_300) },
      { invoiceMonth: '2026-04', partnerTenantId: p2, credits: 1, amounts: usd(172_200) },
    ].sort((a, b) => (a.partnerTenantId < b.partnerTenantId ? -1 : 1)),
  );
  expect((await call('GET', '/v1/analytics/credits?groupBy=customer&month=2026-05', analyst)).body.items).toEqual([]);
});

it('exports CSV with Accept: text/csv', async () => {
  const res = await call('GET', '/v1/analytics/purchases?groupBy=market', analyst, undefined, { accept: 'text/csv' });
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(res.text).toBe('market,lines,quantity,amount_USD\r\nAU,1,1,107900\r\nDE,1,3,172200\r\nFR,2,3,610300\r\n');
  const cancellations = await call('GET', '/v1/analytics/cancellations', analyst, undefined, { accept: 'text/csv' });
  expect(cancellations.text).toBe('orders,cancelledOrders,cancellationRate,averageDaysToCancel\r\n3,2,0.6667,0\r\n');
});

it('are for analysts, back office and partner global and account admins (their own partner only)', async () => {
  expect((await call('GET', '/v1/analytics/purchases', tokenFor({ sub: 'x', tid: p1, roles: ['admin-agent'] }))).status).toBe(403);
  expect((await call('GET', '/v1/analytics/purchases', tokenFor({ sub: 'x', tid: p1, roles: ['customer-global-admin'] }))).status).toBe(403);
  expect((await call('GET', '/v1/analytics/purchases', tokenFor({ sub: 'x', tid: p1, roles: ['back-office'] }))).status).toBe(200);
  const accountAdmin = tokenFor({ sub: 'x', tid: p1, roles: ['account-admin'] });
  for (const query of ['purchases?', 'key-access?from=2026-03-01&to=2026-03-31&', 'cancellations?', 'credits?']) {
    const other = await call('GET', `/v1/analytics/${query}partnerTenantId=${p2}`, accountAdmin);
    expect({ query, status: other.status, code: other.body.error.code }).toEqual({ query, status: 404, code: 'not_found' });
  }
  for (const bad of ['groupBy=colour', 'limit=0', 'offset=-1', 'evil=1'])
    expect((await call('GET', `/v1/analytics/purchases?${bad}`, analyst)).status).toBe(400);
  expect((await call('GET', '/v1/analytics/key-access?from=2026-03-31&to=2026-03-01', analyst)).status).toBe(400);
  expect((await call('GET', '/v1/analytics/credits?month=2026-13', analyst)).status).toBe(400);
});
