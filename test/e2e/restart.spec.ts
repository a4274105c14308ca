/**
 * Durability and time over restarts of the real service on one DATA_DIR: a later CLOCK_START moves
 * windows and expiries as SPEC says with every earlier event still there, and a SIGKILL during a
 * burst of purchases loses no acknowledged command. The restart scenario runs in every deployment
 * shape (test/support/shapes.ts); the SIGKILL burst on the embedded store only.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, mintToken } from '../support/server';
import { shapeNamed, shapesFor, startShape, tearDownShapes, type Shape } from '../support/shapes';

jest.setTimeout(180_000);

const secret = `restart-${randomUUID()}`;
const partner = randomUUID();
const agent = mintToken(secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });

async function setUp(dataDir: string, clockStart: string, shape: Shape = shapeNamed('embedded')) {
  const server = await startShape(shape, { dataDir, clockStart, secret });
  const call = client(server.baseUrl);
  const items = (await call('GET', '/v1/catalog', agent)).body.items as any[];
  return { server, call, items };
}

describe.each(shapesFor('restart'))('restarting on the same DATA_DIR with a later CLOCK_START, $name shape', (shape) => {
  afterAll(tearDownShapes);

  it('closes windows and expires links as SPEC says, with every earlier event still there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'csp-restart-'));
    const first = await setUp(dataDir, '2026-03-02T10:00:00Z', shape);
    const perpetual = first.items.find((i) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard');
    const subscription = first.items.find((i) => i.licenseType === 'subscription' && i.cancellationClass === 'standard' && !i.unavailableMarkets);
    const sel = (item: any, line = 1) => ({ line, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] });
    const customer = (await first.call('POST', '/v1/customers', agent, { name: 'Contoso', domain: 'contoso-restart.example', market: 'FR' })).body;
    const perpOrder = (await first.call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: perpetual.sku, quantity: 1 }] })).body;
    const subOrder = (await first.call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: subscription.sku, quantity: 1 }] })).body;
    const key = (await first.call('POST', `/v1/orders/${perpOrder.orderId}/keys`, agent, sel(perpetual))).body.productKey;
    const link = (await first.call('POST', `/v1/orders/${perpOrder.orderId}/download-links`, agent, sel(perpetual))).body;
    const path = new URL(link.url).pathname;
    expect((await first.call('GET', path)).status).toBe(200);
    await first.server.stop();

    // 6 days 23 hours later: the subscription's 7-day window is still open (1 day left), the link alive.
    const second = await setUp(dataDir, '2026-03-09T09:00:00Z', shape);
    const subEligibility = await second.call('GET', `/v1/orders/${subOrder.orderId}/cancellation-eligibility`, agent);
    expect(subEligibility.body).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 1 }));
    expect((await second.call('GET', path)).body.downloadsRemaining).toBe(48);
    await second.server.stop();

    // 7 days and 1 hour later: the subscription window has closed; the perpetual one has 23 days left.
    const third = await setUp(dataDir, '2026-03-09T11:00:00Z', shape);
    const closed = await third.call('GET', `/v1/orders/${subOrder.orderId}/cancellation-eligibility`, agent);
    expect(closed.body).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0 }));
    const refused = await third.call('POST', `/v1/orders/${subOrder.orderId}/cancel`, agent, { reason: 'late' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('cancellation_window_closed');
    expect((await third.call('GET', `/v1/orders/${perpOrder.orderId}/cancellation-eligibility`, agent)).body.daysRemaining).toBe(23);
    await third.server.stop();

    // 14 days after issue the link is dead; 31 days after purchase the perpetual window is closed.
    const fourth = await setUp(dataDir, '2026-04-02T10:00:01Z', shape);
    const expired = await fourth.call('GET', path);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('link_expired');
    expect((await fourth.call('POST', `/v1/orders/${perpOrder.orderId}/cancel`, agent, { reason: 'late' })).status).toBe(409);
    // Every earlier event is still there: the same key comes back, and the order is intact.
    expect((await fourth.call('POST', `/v1/orders/${perpOrder.orderId}/keys`, agent, sel(perpetual))).body.productKey).toBe(key);
    expect((await fourth.call('GET', `/v1/orders/${subOrder.orderId}`, agent)).body.lines[0].status).toBe('active');
    await fourth.server.stop();
  });
});

describe('SIGKILL during a burst of purchases', () => {
  afterAll(tearDownShapes);

  it('loses no acknowledged purchase', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'csp-kill-'));
    const first = await setUp(dataDir, '2026-03-02T10:00:00Z');
    const perpetual = first.items.find((i) => i.licenseType === 'perpetual');
    const customer = (await first.call('POST', '/v1/customers', agent, { name: 'Burst', domain: 'burst.example', market: 'FR' })).body;
    const acknowledged: string[] = [];
    let attempted = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        attempted++;
        try {
          const res = await first.call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: perpetual.sku, quantity: 1 }] });
          if (res.status === 201) acknowledged.push(res.body.orderId);
        } catch {
          // The connection died with the process: this purchase was never acknowledged.
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((r) => setTimeout(r, 1500));
    await first.server.kill();
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThan(10);

    const second = await setUp(dataDir, '2026-03-02T10:05:00Z');
    const missing: string[] = [];
    for (const orderId of acknowledged) {
      const res = await second.call('GET', `/v1/orders/${orderId}`, agent);
      if (res.status !== 200) missing.push(orderId);
    }
    console.log(`SIGKILL burst: ${attempted} purchases attempted, ${acknowledged.length} acknowledged, ${missing.length} lost after restart`);
    expect(missing).toEqual([]);
    await second.server.stop();
  });
});
