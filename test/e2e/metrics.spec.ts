/**
 * GET /metrics on the API and the projector: Prometheus text with no token, the csp_* instruments
 * moving by what a purchase and a refused purchase did, and no id, tenant or user in any label.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { deleteKeys, REDIS_URL, redisAvailable, testPrefix } from '../../libs/projections/src/testing/redis';
import { parseExposition, valueOf, type Sample } from '../support/prometheus';
import { serverForFile } from '../support/file-server';
import { client, mintToken, startProjector, startServer } from '../support/server';

jest.setTimeout(60_000);
const api = serverForFile('metrics');
const { call, tokenFor } = api;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ORDERS_ROUTE = '/v1/customers/:customerId/orders';

const partner = randomUUID();
let agent: string;
let customerId: string;

const scrape = async (): Promise<Sample[]> => {
  const answer = await call('GET', '/metrics');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(answer.text);
};

/** Scrapes until `reached` holds (the projections run after the command answered), at most 10 s. */
async function scrapeUntil(reached: (samples: Sample[]) => boolean): Promise<Sample[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const samples = await scrape();
    if (reached(samples) || Date.now() > deadline) return samples;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  agent = tokenFor({ sub: `agent-${randomUUID()}`, tid: partner, roles: ['admin-agent'] });
  const customer = await call('POST', '/v1/customers', agent, { name: 'Metrics Ltd', domain: `metrics-${partner.slice(0, 8)}.example`, market: 'FR' });
  expect(customer.status).toBe(201);
  customerId = customer.body.customerId;
});

describe('the API', () => {
  it('serves the Node.js process metrics and every csp_* instrument, with no token', async () => {
    const samples = await scrape();
    const names = new Set(samples.map((s) => s.name));
    for (const name of [
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'csp_http_request_duration_seconds_bucket',
      'csp_event_store_append_duration_seconds_count',
      'csp_event_store_append_events_count',
      'csp_read_model_lag_events',
      'csp_read_model_lag_seconds',
      'csp_webhook_dead_letters',
      'csp_sse_clients',
    ]) {
      expect({ name, present: names.has(name) }).toEqual({ name, present: true });
    }
    // Every read model has its lag, by name.
    expect(samples.filter((s) => s.name === 'csp_read_model_lag_events').map((s) => s.labels.model)).toEqual(
      expect.arrayContaining(['software-list', 'activity-log', 'credits']),
    );
  });

  it('counts a purchase and a refused purchase: commands, HTTP requests, appends and projection batches, with no ids in labels', async () => {
    const before = await scrape();
    const purchase = await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: 'WS2025-STD', quantity: 1 }] });
    expect(purchase.status).toBe(201);
    const refused = await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('unknown_sku');
    await call('GET', '/no/such/route');

    const batches = (samples: Sample[]) => valueOf(samples, 'csp_projection_batch_duration_seconds_count', { model: 'software-list' });
    const after = await scrapeUntil((samples) => batches(samples) > batches(before));
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);

    expect(delta('csp_commands_total', { command: 'PurchaseSoftware', outcome: 'accepted' })).toBe(1);
    expect(delta('csp_commands_total', { command: 'PurchaseSoftware', outcome: 'unknown_sku' })).toBe(1);
    expect(delta('csp_http_request_duration_seconds_count', { method: 'POST', route: ORDERS_ROUTE, status: '201' })).toBe(1);
    expect(delta('csp_http_request_duration_seconds_count', { method: 'POST', route: ORDERS_ROUTE, status: '400' })).toBe(1);
    expect(delta('csp_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    // The purchase is one append of one event (SoftwarePurchased); the refusal appended nothing.
    expect(delta('csp_event_store_append_duration_seconds_count', { outcome: 'appended' })).toBe(1);
    expect(delta('csp_event_store_append_events_count')).toBe(1);
    expect(delta('csp_event_store_append_events_sum')).toBe(1);
    expect(delta('csp_projection_batch_duration_seconds_count', { model: 'software-list' })).toBeGreaterThanOrEqual(1);

    const orderId = purchase.body.orderId as string;
    for (const sample of after) {
      for (const value of Object.values(sample.labels)) {
        expect({ sample: sample.name, value, id: UUID.test(value) }).toEqual({ sample: sample.name, value, id: false });
        for (const secret of [partner, customerId, orderId, agent, api.server.secret]) expect(value).not.toContain(secret);
      }
    }
  });

  it('counts key-access refusals and event-stream clients', async () => {
    const limited = await startServer({ env: { KEY_ACCESS_LIMIT_PER_USER: '1' } });
    try {
      const ask = client(limited.baseUrl);
      const tid = randomUUID();
      const token = mintToken(limited.secret, { sub: 'throttled', tid, roles: ['admin-agent'] });
      const customer = await ask('POST', '/v1/customers', token, { name: 'Throttled', domain: `throttled-${tid.slice(0, 8)}.example`, market: 'FR' });
      const order = await ask('POST', `/v1/customers/${customer.body.customerId}/orders`, token, { lines: [{ sku: 'WS2025-STD', quantity: 1 }] });
      const selection = { line: 1, version: '2025', language: 'en-us', fileType: 'x64' };
      expect((await ask('POST', `/v1/orders/${order.body.orderId}/keys`, token, selection)).status).toBe(200);
      expect((await ask('POST', `/v1/orders/${order.body.orderId}/keys`, token, selection)).status).toBe(429);

      const backOffice = mintToken(limited.secret, { sub: 'bo', tid: randomUUID(), roles: ['back-office'] });
      const stream = new AbortController();
      const events = await fetch(`${limited.baseUrl}/v1/events`, { headers: { authorization: `Bearer ${backOffice}` }, signal: stream.signal });
      expect(events.status).toBe(200);
      const samples = parseExposition((await ask('GET', '/metrics')).text);
      stream.abort();
      expect(valueOf(samples, 'csp_key_access_throttled_total', { action: 'reveal-key', scope: 'user' })).toBe(1);
      expect(valueOf(samples, 'csp_commands_total', { command: 'RevealKey', outcome: 'rate_limited' })).toBe(1);
      expect(valueOf(samples, 'csp_sse_clients')).toBe(1);
    } finally {
      await limited.stop();
    }
  });

  it('serves no /metrics with METRICS=false', async () => {
    const bare = await startServer({ env: { METRICS: 'false' } });
    try {
      const answer = await client(bare.baseUrl)('GET', '/metrics');
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    } finally {
      await bare.stop();
    }
  });
});

describe('the projector', () => {
  it('serves its own metrics on its health port', async () => {
    if (!(await redisAvailable())) return;
    const prefix = testPrefix('metrics');
    const projector = await startProjector({ DATA_DIR: mkdtempSync(join(tmpdir(), 'csp-metrics-')), REDIS_URL, REDIS_KEY_PREFIX: prefix });
    try {
      const answer = await fetch(`http://127.0.0.1:${projector.port}/metrics`);
      expect(answer.status).toBe(200);
      const samples = parseExposition(await answer.text());
      expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(samples.filter((s) => s.name === 'csp_read_model_lag_events').length).toBeGreaterThan(0);
      expect(samples.some((s) => s.name === 'csp_webhook_dead_letters')).toBe(true);
    } finally {
      await projector.stop();
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });
});
