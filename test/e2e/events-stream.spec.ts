/**
 * Back office follows the event stream over Server-Sent Events: every event of a scenario once,
 * in order; a reconnection with Last-Event-ID resumes without gaps or repeats; every event received
 * matches the published schemas (docs/schemas/published/), which is what a receiver validates against.
 * On the embedded store and, where a server answers, on PostgreSQL (EVENTSTORE_URL=postgres://…).
 */
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES } from '@csp/domain';
import { comparePositions, parsePosition } from '@csp/event-store';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../libs/event-store/src/postgres/testing/database';
import { backOfficeOrderLife, BURST_LIMIT, countByType, holdsLifeOf, publishedEventProblems } from '../support/published-events';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken, reportExchange, startServer, type RunningServer } from '../support/server';

jest.setTimeout(60_000);
checkResponsesAgainstDocument('event stream');
let server: RunningServer;
let call: ReturnType<typeof client>;
const partner = randomUUID();

interface Frame {
  id: string;
  event: string;
  data: any;
}

/** Reads SSE frames until `count` were received or `count(frames)` holds (or the timeout), then disconnects. */
async function readFrames(
  url: string,
  token: string,
  count: number | ((frames: readonly Frame[]) => boolean),
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<Frame[]> {
  const enough = (frames: readonly Frame[]) => (typeof count === 'number' ? frames.length >= count : count(frames));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const frames: Frame[] = [];
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let received = '';
    while (!enough(frames)) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      buffer += text;
      received += text;
      let end: number;
      while (!enough(frames) && (end = buffer.indexOf('\n\n')) >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          raw
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
        );
        if (fields.data) frames.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) });
      }
    }
    controller.abort();
    // The stream as far as it was read, for the contract check (its media type is what the document describes).
    await reportExchange({ method: 'GET', url, status: res.status, headers: res.headers, text: received });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
  }
  return frames;
}

/** The event store behind the server: the embedded file, or a PostgreSQL database of this run's own. */
const stores = ['embedded', ...(postgresForTests('event stream') ? ['postgres'] : [])];

describe.each(stores)('over the %s event store', (kind) => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = kind === 'postgres' ? await createTestDatabase() : undefined;
    const storeEnv: Record<string, string> = database ? { EVENTSTORE_URL: database.url, KEY_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') } : {};
    server = await startServer({ clockStart: '2026-03-02T10:00:00Z', env: { KEY_ACCESS_LIMIT_PER_USER: String(BURST_LIMIT), ...storeEnv } });
    call = client(server.baseUrl);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('delivers every event once, in order, and resumes after a disconnect from Last-Event-ID', async () => {
    const agent = mintToken(server.secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });
    const backOffice = mintToken(server.secret, { sub: 'billing', tid: randomUUID(), roles: ['back-office'] });
    const item = (await call('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual');
    const sel = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
    const customer = (await call('POST', '/v1/customers', agent, { name: 'Stream', domain: 'stream.example', market: 'FR' })).body;
    const order = (await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
    const key = (await call('POST', `/v1/orders/${order.orderId}/keys`, agent, sel)).body;
    await call('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'stream' });
    // CustomerRegistered, SoftwarePurchased, ProductKeyAssigned, ProductKeyRevealed, OrderCancelled, ProductKeysRevoked, CreditIssued
    const all = await readFrames(`${server.baseUrl}/v1/events`, backOffice, 7);
    expect(all.map((f) => f.event)).toEqual([
      'CustomerRegistered',
      'SoftwarePurchased',
      'ProductKeyAssigned',
      'ProductKeyRevealed',
      'OrderCancelled',
      'ProductKeysRevoked',
      'CreditIssued',
    ]);
    const positions = all.map((f) => parsePosition(f.id)!);
    expect([...positions].sort(comparePositions)).toEqual(positions);
    expect(new Set(all.map((f) => f.data.eventId)).size).toBe(7);
    expect(all[0]!.data.metadata).toEqual(
      expect.objectContaining({ correlationId: expect.any(String), schemaVersion: expect.any(Number), actor: expect.objectContaining({ sub: 'agent' }) }),
    );
    // Key ciphertext is withheld; the plain key is nowhere.
    expect(all[2]!.data.data).not.toHaveProperty('material');
    expect(JSON.stringify(all)).not.toContain(key.productKey);

    // Disconnect after three, resume from the last id seen: the rest, no gap, no repeat.
    const first = await readFrames(`${server.baseUrl}/v1/events`, backOffice, 3);
    const rest = await readFrames(`${server.baseUrl}/v1/events`, backOffice, 4, { 'last-event-id': first[2]!.id });
    expect([...first, ...rest].map((f) => f.data.eventId)).toEqual(all.map((f) => f.data.eventId));

    // Live: a new event arrives on an open stream.
    const live = readFrames(`${server.baseUrl}/v1/events?types=OrderCancelled,SoftwarePurchased`, backOffice, 3);
    await new Promise((r) => setTimeout(r, 200));
    await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 2 }] });
    expect((await live).map((f) => f.event)).toEqual(['SoftwarePurchased', 'OrderCancelled', 'SoftwarePurchased']);

    // Filtered by customer.
    const other = (await call('POST', '/v1/customers', agent, { name: 'Other', domain: 'other-stream.example', market: 'FR' })).body;
    await call('POST', `/v1/customers/${other.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] });
    const mine = await readFrames(`${server.baseUrl}/v1/events?customerId=${other.customerId}`, backOffice, 2, {}, 1500);
    expect(mine.map((f) => f.data.data.customerId)).toEqual([other.customerId, other.customerId]);
  });

  it('delivers every published event type in the shape of the published schemas, key material withheld', async () => {
    const token = (claims: { sub: string; tid: string; roles: string[] }) => mintToken(server.secret, claims);
    const life = await backOfficeOrderLife(call, server.baseUrl, token);
    const backOffice = token({ sub: 'fraud', tid: randomUUID(), roles: ['back-office'] });
    // From the start: this life and the scenarios above, everything the stream has ever published.
    const frames = await readFrames(
      `${server.baseUrl}/v1/events`,
      backOffice,
      (received) =>
        holdsLifeOf(
          received.map((f) => f.data),
          life.customerId,
        ),
      {},
      20_000,
    );
    const events = frames.map((f) => f.data);
    expect(holdsLifeOf(events, life.customerId)).toBe(true);
    expect(events.flatMap(publishedEventProblems)).toEqual([]);
    expect(frames.filter((f) => f.event !== f.data.type || f.id !== f.data.position)).toEqual([]);
    const counts = countByType(events);
    expect(Object.keys(counts).sort()).toEqual([...EVENT_TYPES].sort());
    for (const e of events.filter((e) => e.type === 'ProductKeyAssigned')) expect(e.data).not.toHaveProperty('material');
    expect(JSON.stringify(events)).not.toContain(life.productKey);
    console.log(`SSE: ${events.length} delivered events validated against docs/schemas/published: ${JSON.stringify(counts)}`);
  });

  it('is for back office only', async () => {
    expect((await call('GET', '/v1/events', mintToken(server.secret, { sub: 'a', tid: partner, roles: ['analyst'] }))).status).toBe(403);
    expect((await call('GET', '/v1/events', mintToken(server.secret, { sub: 'a', tid: partner, roles: ['global-admin'] }))).status).toBe(403);
    expect((await call('GET', '/v1/events')).status).toBe(401);
    expect((await call('GET', '/v1/events?after=yesterday', mintToken(server.secret, { sub: 'b', tid: partner, roles: ['back-office'] }))).status).toBe(400);
  });
});
