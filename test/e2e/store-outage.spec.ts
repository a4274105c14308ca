/**
 * The stores going away under a running API, every operation asked a request that would succeed:
 * with Redis cut (the read models and the shared throttle counters), then with the disk full under
 * the embedded event store. An operation that needs the missing store answers 503
 * `store_unavailable` with `Retry-After` (never a 500, never a hang), one that does not answers as
 * usual, and every answer is validated against the served document. Once the store is back the same
 * requests succeed again, without a restart.
 *
 * Between the two faults every operation whose document says 503 `store_unavailable` gives it,
 * except those that only read the event store: an embedded store that can still read answers them.
 * They give it when a networked event store goes away: PostgreSQL, cut through a TCP proxy.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { deleteKeys, REDIS_URL, redisForTests } from '../../libs/projections/src/testing/redis';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../libs/event-store/src/postgres/testing/database';
import { client, mintToken, reportExchange, startServer, type HttpResult, type RunningServer } from '../support/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(180_000);
checkResponsesAgainstDocument('store outage');

/** Operations an embedded store answers while it can read: they only read the event store. */
const READ_ONLY_THE_EVENT_STORE = new Set([
  'GET /v1/orders/{orderId}',
  'GET /v1/orders/{orderId}/cancellation-eligibility',
  'GET /v1/refund-requests/{refundRequestId}',
  'GET /v1/webhooks/{webhookId}/dead-letters',
]);

const run = redisForTests('store outage');
const maybe = run ? describe : describe.skip;

interface Request {
  readonly path: string;
  readonly body?: unknown;
  readonly public?: boolean;
}

/** A client of the running API and the token it asks with. */
interface Asker {
  readonly call: ReturnType<typeof client>;
  readonly token: string;
  readonly baseUrl: string;
}

/**
 * A request for each operation that succeeds on this fresh state (a customer, an order with a
 * link, a refund request, a webhook): each fault gets its own, since the commands asked during the
 * previous one may have consumed theirs (an order cancelled, a refund decided).
 */
async function prepare({ call, token }: Asker): Promise<Record<string, () => Request>> {
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
    'GET /metrics': () => ({ path: '/metrics', public: true }),
    'GET /v1/events': () => ({ path: '/v1/events' }),
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

/**
 * Every operation, asked at once; its answer. The event stream never ends when it opens: its answer
 * is its status, and only a refusal (which has a body) is read and checked.
 */
async function askEvery(
  { call, token, baseUrl }: Asker,
  operations: readonly string[],
  requests: Record<string, () => Request>,
): Promise<Map<string, HttpResult>> {
  const asked = operations.map(async (operation) => {
    const make = requests[operation];
    if (!make) throw new Error(`no request for ${operation}: add one to this scenario`);
    const request = make();
    if (operation === 'GET /v1/events') return [operation, await openEventStream(baseUrl, token)] as const;
    return [operation, await call(operation.split(' ')[0]!, request.path, request.public ? undefined : token, request.body)] as const;
  });
  return new Map(await Promise.all(asked));
}

async function openEventStream(baseUrl: string, token: string): Promise<HttpResult> {
  const controller = new AbortController();
  const url = `${baseUrl}/v1/events`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (response.status === 200) {
    controller.abort();
    return { status: 200, body: undefined, headers: response.headers, text: '' };
  }
  const text = await response.text();
  await reportExchange({ method: 'GET', url, status: response.status, headers: response.headers, text });
  return { status: response.status, body: JSON.parse(text), headers: response.headers, text };
}

/**
 * The operations that answered 5xx, each checked to be 503 `store_unavailable` with `Retry-After`;
 * but the readiness probe, which says in its own body (validated like any answer) what is missing.
 */
function storeUnavailable(answers: Map<string, HttpResult>): string[] {
  const failing = [...answers].filter(([operation, answer]) => answer.status >= 500 && operation !== 'GET /health/ready');
  for (const [operation, answer] of failing) {
    expect({ operation, status: answer.status, code: answer.body?.error?.code }).toEqual({ operation, status: 503, code: 'store_unavailable' });
    expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }
  return failing.map(([operation]) => operation);
}

const serverErrors = (answers: Map<string, HttpResult>) => [...answers].filter(([, answer]) => answer.status >= 500).map(([operation]) => operation);

/** What the scenarios ask the document once: its operations and the statuses each documents. */
async function documentedOperations({ call }: Asker): Promise<{ operation: string; statuses: string[] }[]> {
  const document = (await call('GET', '/docs/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ operation: `${method.toUpperCase()} ${path}`, statuses: Object.keys(operation.responses) })),
  );
}

maybe('stores going away under a running API', () => {
  let mountPoint: string | undefined;
  let server: RunningServer;
  let redisProxy: TcpProxy;
  let asker: Asker;
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
    asker = askerOf(server);
    documented = await documentedOperations(asker);
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

  const unavailable = new Set<string>();
  const askAll = () =>
    askEvery(
      asker,
      documented.map(({ operation }) => operation),
      requests,
    );
  function expectOnlyStoreUnavailable(answers: Map<string, HttpResult>): string[] {
    const failing = storeUnavailable(answers);
    for (const operation of failing) unavailable.add(operation);
    return failing;
  }

  it('with Redis cut, answers 503 where the answer needs the read models or the throttle, as usual elsewhere, and recovers', async () => {
    if (!mountPoint) return;
    requests = await prepare(asker);
    await redisProxy.cut();
    const answers = await askAll();
    const failing = expectOnlyStoreUnavailable(answers);
    // Whatever reads a read model cannot answer; the event store still takes commands that need none.
    expect(failing).toEqual(
      expect.arrayContaining(['GET /v1/customers/{customerId}', 'GET /v1/activity-log', 'GET /v1/credits', 'GET /v1/analytics/purchases']),
    );
    expect(answers.get('POST /v1/customers')!.status).toBe(201);
    console.log(`Redis cut: ${failing.length} of ${answers.size} operations answered 503 store_unavailable: ${failing.join(', ')}`);
    await redisProxy.restore();
    await waitFor(async () => (await asker.call('GET', requests['GET /v1/customers/{customerId}']!().path, asker.token)).status === 200);
    const again = await askAll();
    expect(serverErrors(again)).toEqual([]);
  });

  it('with the disk full under the event store, answers 503 to whatever must record, serves the rest, and recovers', async () => {
    if (!mountPoint) return;
    requests = await prepare(asker);
    const filler = join(mountPoint, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'pipe' });
    } catch {
      // dd stops at "No space left on device": the disk is full.
    }
    // Space SQLite already holds (free pages, the WAL) takes a few more writes before it runs out.
    const purchase = requests['POST /v1/customers/{customerId}/orders']!();
    for (let i = 0; i < 200 && (await asker.call('POST', purchase.path, asker.token, purchase.body)).status !== 503; i++);
    const answers = await askAll();
    const failing = expectOnlyStoreUnavailable(answers);
    console.log(`disk full: ${failing.length} of ${answers.size} operations answered 503 store_unavailable: ${failing.join(', ')}`);
    expect(answers.get('GET /v1/orders/{orderId}')!.status).toBe(200);
    rmSync(filler);
    await waitFor(async () => (await asker.call('POST', purchase.path, asker.token, purchase.body)).status === 201);
    const again = await askAll();
    expect(serverErrors(again)).toEqual([]);
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

function askerOf(server: RunningServer): Asker {
  const token = mintToken(server.secret, { sub: 'outage', tid: randomUUID(), roles: ['admin-agent', 'global-admin', 'back-office', 'analyst'] });
  return { call: client(server.baseUrl), token, baseUrl: server.baseUrl };
}

const onPostgres = postgresForTests('store outage');
(onPostgres ? describe : describe.skip)('the PostgreSQL event store going away under a running API', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    server = await startServer({
      env: { EVENTSTORE_URL: url.toString(), KEY_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64'), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 to whatever reads or writes the event store, the reads that need nothing else included, and recovers', async () => {
    const asker = askerOf(server);
    const operations = (await documentedOperations(asker)).map(({ operation }) => operation);
    const requests = await prepare(asker);
    await proxy.cut();
    const failing = storeUnavailable(await askEvery(asker, operations, requests));
    console.log(`PostgreSQL cut: ${failing.length} of ${operations.length} operations answered 503 store_unavailable: ${failing.join(', ')}`);
    expect(failing).toEqual(expect.arrayContaining([...READ_ONLY_THE_EVENT_STORE, 'POST /v1/customers/{customerId}/orders', 'GET /v1/downloads/{token}']));
    await proxy.restore();
    await waitFor(async () => (await asker.call('GET', requests['GET /v1/orders/{orderId}']!().path, asker.token)).status === 200);
    expect(serverErrors(await askEvery(asker, operations, requests))).toEqual([]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the store did not come back in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
