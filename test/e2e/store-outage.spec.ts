/**
 * The stores going away under a running API, every operation asked a request that would succeed:
 * with Redis cut (the read models and the shared throttle counters), then with the disk full under
 * the embedded event store. An operation that needs the missing store answers 503
 * `store_unavailable` with `Retry-After` (never a 500, never a hang), one that does not answers as
 * usual, and every answer is validated against the served document. Once the store is back the same
 * requests succeed again, without a restart.
 *
 * Between the two faults every operation whose document says 503 `store_unavailable` gives it,
 * except those that only read the event store: an embedded store that can still read answers them
 * (they give it on a networked store that is down).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { deleteKeys, REDIS_URL, redisForTests } from '../../libs/projections/src/testing/redis';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken, startServer, type HttpResult, type RunningServer } from '../support/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(180_000);
checkResponsesAgainstDocument('store outage');

/** Operations an embedded store answers while it can read: they only read the event store. */
const READ_ONLY_THE_EVENT_STORE = new Set([
  'GET /v1/orders/{orderId}',
  'GET /v1/orders/{orderId}/cancellation-eligibility',
  'GET /v1/refund-requests/{refundRequestId}',
  'GET /v1/events',
  'GET /v1/webhooks/{webhookId}/dead-letters',
]);

const run = redisForTests('store outage');
const maybe = run ? describe : describe.skip;

interface Request {
  readonly path: string;
  readonly body?: unknown;
  readonly public?: boolean;
}

maybe('stores going away under a running API', () => {
  let mountPoint: string | undefined;
  let server: RunningServer;
  let redisProxy: TcpProxy;
  let call: ReturnType<typeof client>;
  let token: string;
  const prefix = `csp-outage-${randomUUID().slice(0, 8)}:`;
  let documented: { operation: string; statuses: string[] }[] = [];
  let requests: Record<string, () => Request> = {};

  beforeAll(async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'csp-outage-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (error) {
      if (process.env.CI) throw new Error(`cannot mount a small tmpfs for the disk-full phase: ${(error as Error).message}`);
      console.warn(`STORE OUTAGE TEST SKIPPED: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
      rmSync(mountPoint, { recursive: true, force: true });
      mountPoint = undefined;
      return;
    }
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir);
    const redis = new URL(REDIS_URL);
    redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    server = await startServer({
      dataDir,
      env: { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, REDIS_KEY_PREFIX: prefix, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
    call = client(server.baseUrl);
    const partner = randomUUID();
    token = mintToken(server.secret, { sub: 'outage', tid: partner, roles: ['admin-agent', 'global-admin', 'back-office', 'analyst'] });
    const document = (await call('GET', '/docs/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ operation: `${method.toUpperCase()} ${path}`, statuses: Object.keys(operation.responses) })),
    );
  });

  afterAll(async () => {
    await server?.stop();
    await redisProxy?.close();
    if (mountPoint) {
      execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
    if (run) {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  /**
   * A request for each operation that succeeds on this fresh state (a customer, an order with a
   * link, a refund request, a webhook): each fault gets its own, since the commands asked during the
   * previous one may have consumed theirs (an order cancelled, a refund decided).
   */
  async function prepare(): Promise<Record<string, () => Request>> {
    const ok = async (result: Promise<HttpResult>) => {
      const answer = await result;
      if (answer.status >= 300) throw new Error(`fixture: ${answer.status} ${answer.text}`);
      return answer.body;
    };
    const item = (await ok(call('GET', '/v1/catalog', token))).items.find((i: any) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard');
    const newCustomer = () => ({ name: 'Outage', domain: `o-${randomUUID().slice(0, 8)}.example`, market: 'FR' });
    const customer = await ok(call('POST', '/v1/customers', token, newCustomer()));
    const order = await ok(call('POST', `/v1/customers/${customer.customerId}/orders`, token, { lines: [{ sku: item.sku, quantity: 2 }] }));
    const selection = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const link = await ok(call('POST', `/v1/orders/${order.orderId}/download-links`, token, selection));
    const refund = {
      orderId: order.orderId,
      tenantId: customer.tenantId,
      reason: 'disputed',
      amount: 100,
      contact: { name: 'A', email: 'a@b.example', phone: '123456' },
    };
    const refundRequest = await ok(call('POST', '/v1/refund-requests', token, refund));
    const webhook = await ok(call('POST', '/v1/webhooks', token, { url: 'http://127.0.0.1:9/hook' }));
    const month = new Date().toISOString().slice(0, 7);
    const range = 'from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z';
    return {
      'GET /health/live': () => ({ path: '/health/live', public: true }),
      'GET /health/ready': () => ({ path: '/health/ready', public: true }),
      'GET /v1/catalog': () => ({ path: '/v1/catalog' }),
      'GET /v1/kms-migration/deadline': () => ({ path: '/v1/kms-migration/deadline?lastActivation=2026-06-01' }),
      'POST /v1/customers': () => ({ path: '/v1/customers', body: newCustomer() }),
      'GET /v1/customers/{customerId}': () => ({ path: `/v1/customers/${customer.customerId}` }),
      'POST /v1/customers/{customerId}/key-material/destroy': () => ({
        path: `/v1/customers/${customer.customerId}/key-material/destroy`,
        body: { reason: 'offboarding' },
      }),
      'POST /v1/customers/{customerId}/orders': () => ({
        path: `/v1/customers/${customer.customerId}/orders`,
        body: { lines: [{ sku: item.sku, quantity: 1 }] },
      }),
      'GET /v1/customers/{customerId}/orders': () => ({ path: `/v1/customers/${customer.customerId}/orders` }),
      'GET /v1/customers/{customerId}/software': () => ({ path: `/v1/customers/${customer.customerId}/software` }),
      'GET /v1/orders/{orderId}': () => ({ path: `/v1/orders/${order.orderId}` }),
      'POST /v1/orders/{orderId}/keys': () => ({ path: `/v1/orders/${order.orderId}/keys`, body: selection }),
      'POST /v1/orders/{orderId}/download-links': () => ({ path: `/v1/orders/${order.orderId}/download-links`, body: selection }),
      'GET /v1/orders/{orderId}/cancellation-eligibility': () => ({ path: `/v1/orders/${order.orderId}/cancellation-eligibility` }),
      'POST /v1/orders/{orderId}/cancel': () => ({ path: `/v1/orders/${order.orderId}/cancel`, body: { reason: 'outage' } }),
      'GET /v1/downloads/{token}': () => ({ path: new URL(link.url).pathname, public: true }),
      'POST /v1/refund-requests': () => ({ path: '/v1/refund-requests', body: refund }),
      'GET /v1/refund-requests/{refundRequestId}': () => ({ path: `/v1/refund-requests/${refundRequest.refundRequestId}` }),
      'POST /v1/refund-requests/{refundRequestId}/approve': () => ({ path: `/v1/refund-requests/${refundRequest.refundRequestId}/approve`, body: {} }),
      'POST /v1/refund-requests/{refundRequestId}/reject': () => ({
        path: `/v1/refund-requests/${refundRequest.refundRequestId}/reject`,
        body: { reason: 'no' },
      }),
      'GET /v1/activity-log': () => ({ path: `/v1/activity-log?${range}` }),
      'GET /v1/credits': () => ({ path: `/v1/credits?month=${month}` }),
      'POST /v1/webhooks': () => ({ path: '/v1/webhooks', body: { url: 'http://127.0.0.1:9/other' } }),
      'GET /v1/webhooks/{webhookId}/dead-letters': () => ({ path: `/v1/webhooks/${webhook.webhookId}/dead-letters` }),
      'POST /v1/webhooks/{webhookId}/replay': () => ({ path: `/v1/webhooks/${webhook.webhookId}/replay`, body: { fromPosition: '0' } }),
      'GET /v1/analytics/purchases': () => ({ path: '/v1/analytics/purchases' }),
      'GET /v1/analytics/key-access': () => ({ path: '/v1/analytics/key-access?from=2020-01-01&to=2099-01-01' }),
      'GET /v1/analytics/cancellations': () => ({ path: '/v1/analytics/cancellations' }),
      'GET /v1/analytics/credits': () => ({ path: '/v1/analytics/credits' }),
    };
  }

  /** Every operation but the event stream (a stream never ends; it is not asked here), asked at once; its answer. */
  async function askEvery(): Promise<Map<string, HttpResult>> {
    const asked = documented
      .map(({ operation }) => operation)
      .filter((operation) => operation !== 'GET /v1/events')
      .map(async (operation) => {
        const make = requests[operation];
        if (!make) throw new Error(`no request for ${operation}: add one to this scenario`);
        const request = make();
        return [operation, await call(operation.split(' ')[0]!, request.path, request.public ? undefined : token, request.body)] as const;
      });
    return new Map(await Promise.all(asked));
  }

  const unavailable = new Set<string>();

  function expectOnlyStoreUnavailable(answers: Map<string, HttpResult>): string[] {
    const failing = [...answers].filter(([, answer]) => answer.status >= 500);
    for (const [operation, answer] of failing) {
      expect({ operation, status: answer.status, code: answer.body?.error?.code }).toEqual({ operation, status: 503, code: 'store_unavailable' });
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      unavailable.add(operation);
    }
    return failing.map(([operation]) => operation);
  }

  it('with Redis cut, answers 503 where the answer needs the read models or the throttle, as usual elsewhere, and recovers', async () => {
    if (!mountPoint) return;
    requests = await prepare();
    await redisProxy.cut();
    const answers = await askEvery();
    const failing = expectOnlyStoreUnavailable(answers);
    // Whatever reads a read model cannot answer; the event store still takes commands that need none.
    expect(failing).toEqual(
      expect.arrayContaining(['GET /v1/customers/{customerId}', 'GET /v1/activity-log', 'GET /v1/credits', 'GET /v1/analytics/purchases']),
    );
    expect(answers.get('POST /v1/customers')!.status).toBe(201);
    console.log(`Redis cut: ${failing.length} of ${answers.size} operations answered 503 store_unavailable: ${failing.join(', ')}`);
    await redisProxy.restore();
    await waitFor(async () => (await call('GET', requests['GET /v1/customers/{customerId}']!().path, token)).status === 200);
    const again = await askEvery();
    expect([...again].filter(([, answer]) => answer.status >= 500).map(([operation]) => operation)).toEqual([]);
  });

  it('with the disk full under the event store, answers 503 to whatever must record, serves the rest, and recovers', async () => {
    if (!mountPoint) return;
    requests = await prepare();
    const filler = join(mountPoint, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'pipe' });
    } catch {
      // dd stops at "No space left on device": the disk is full.
    }
    // Space SQLite already holds (free pages, the WAL) takes a few more writes before it runs out.
    const purchase = requests['POST /v1/customers/{customerId}/orders']!();
    for (let i = 0; i < 200 && (await call('POST', purchase.path, token, purchase.body)).status !== 503; i++);
    const answers = await askEvery();
    const failing = expectOnlyStoreUnavailable(answers);
    console.log(`disk full: ${failing.length} of ${answers.size} operations answered 503 store_unavailable: ${failing.join(', ')}`);
    expect(answers.get('GET /v1/orders/{orderId}')!.status).toBe(200);
    rmSync(filler);
    await waitFor(async () => (await call('POST', purchase.path, token, purchase.body)).status === 201);
    const again = await askEvery();
    expect([...again].filter(([, answer]) => answer.status >= 500).map(([operation]) => operation)).toEqual([]);
  });

  it('between the two, every operation documented with 503 store_unavailable gave it, but those that only read the event store', () => {
    if (!mountPoint) return;
    const expected = documented
      .filter(({ operation, statuses }) => statuses.includes('503') && !operation.startsWith('GET /health') && !READ_ONLY_THE_EVENT_STORE.has(operation))
      .map(({ operation }) => operation)
      .sort();
    expect([...unavailable].sort()).toEqual(expected);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the store did not come back in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
