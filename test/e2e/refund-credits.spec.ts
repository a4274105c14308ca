/**
 * Refund approvals and cancellations racing on one order, over real HTTP against two API replicas
 * sharing one event store (each with its own stream-state cache, as in the scale-out shape): the
 * order's credits never exceed what it was paid, each request is decided once, and the read
 * models show every credit once. SPEC §1 "Refund requests"; ARCHITECTURE "Money across streams".
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken, startServer, type RunningServer } from '../support/server';

jest.setTimeout(180_000);
checkResponsesAgainstDocument('refund and credits');

let replicas: RunningServer[];
let calls: ReturnType<typeof client>[];
let dataDir: string;
let agent: string;
let backOffice: string;
let item: any;
const partner = randomUUID();
const stats = { rounds: 0, approved: 0, refused: 0, cancelled: 0, serverErrors: 0 };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'csp-refunds-'));
  const secret = `refunds-${randomUUID()}`;
  const env = { KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
  replicas = [
    await startServer({ dataDir, secret, clockStart: '2026-03-02T10:00:00Z', env }),
    await startServer({ dataDir, secret, clockStart: '2026-03-02T10:00:00Z', env }),
  ];
  calls = replicas.map((r) => client(r.baseUrl));
  agent = mintToken(secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });
  backOffice = mintToken(secret, { sub: 'clerk', tid: randomUUID(), roles: ['back-office'] });
  item = (await calls[0]!('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard');
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((r) => r.stop()));
  console.log(
    `refund races: ${stats.rounds} rounds on 2 replicas, ${stats.approved} approvals, ${stats.refused} refused, ${stats.cancelled} cancellations, ${stats.serverErrors} server errors, 0 over-credits`,
  );
});

/** The order's events as stored: the source of truth, whatever the read models say. */
function storedEvents(orderId: string): { type: string; data: any }[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT type, data FROM events WHERE stream_id = ? ORDER BY revision').all(`order-${orderId}`) as { type: string; data: string }[]).map(
      (r) => ({ type: r.type, data: JSON.parse(r.data) }),
    );
  } finally {
    db.close();
  }
}

async function newOrder(lines: number) {
  const call = calls[0]!;
  const customer = (await call('POST', '/v1/customers', agent, { name: 'Contoso', domain: `c-${randomUUID().slice(0, 8)}.example`, market: 'FR' })).body;
  const order = (
    await call('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: Array.from({ length: lines }, () => ({ sku: item.sku, quantity: 1 })) })
  ).body;
  const paid = order.lines.reduce((sum: number, l: any) => sum + l.amount, 0);
  return { customer, order, paid, currency: order.lines[0].currency as string };
}

async function file(orderId: string, tenantId: string, amount: number) {
  const res = await calls[0]!('POST', '/v1/refund-requests', agent, {
    orderId,
    tenantId,
    reason: 'disputed',
    amount,
    contact: { name: 'A', email: 'a@b.example', phone: '123456' },
  });
  expect(res.status).toBe(201);
  return res.body.refundRequestId as string;
}

it('approvals and cancellations racing on two replicas never credit an order more than it was paid', async () => {
  for (let round = 0; round < 6; round++) {
    stats.rounds++;
    const { customer, order, paid, currency } = await newOrder(2);
    // Six requests of 40 % each (240 % in all), approved with and without an explicit amount, while both lines are cancelled.
    const share = Math.floor((paid * 40) / 100);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await file(order.orderId, order.customerTenantId, share));
    const racing = [
      ...ids.map((id, i) => () => calls[i % 2]!('POST', `/v1/refund-requests/${id}/approve`, backOffice, i % 3 === 0 ? { amount: share } : {})),
      () => calls[round % 2]!('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'race', lines: [1] }),
      () => calls[(round + 1) % 2]!('POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'race', lines: [2] }),
    ];
    // Sent in another order each round (the cancellations first, last, in between), all at once.
    const pending: ReturnType<(typeof racing)[number]>[] = [];
    for (let k = 0; k < racing.length; k++) {
      const index = (k + round * 3) % racing.length;
      pending[index] = racing[index]!();
    }
    const answers = await Promise.all(pending);
    const approvals = answers.slice(0, ids.length);
    const cancellations = answers.slice(ids.length);
    stats.serverErrors += answers.filter((a) => a.status >= 500).length;
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    // A refusal is the bound (or, rarely, a writer that lost the race eight times and wrote nothing).
    for (const a of answers.filter((x) => x.status === 409)) expect(['credit_exceeds_order', 'concurrent_change']).toContain(a.body.error.code);
    stats.approved += approvals.filter((a) => a.status === 200).length;
    stats.refused += answers.filter((a) => a.status === 409).length;
    stats.cancelled += cancellations.filter((a) => a.status === 200).length;

    // The store: every credit of the order is in its stream, in its currency, once per request, never above what it was paid.
    const credits = storedEvents(order.orderId)
      .filter((e) => e.type === 'CreditIssued')
      .map((e) => e.data);
    const total = credits.reduce((sum, c) => sum + c.amount, 0);
    expect(total).toBeLessThanOrEqual(paid);
    expect(new Set(credits.map((c) => c.currency))).toEqual(new Set([currency]));
    expect(new Set(credits.map((c) => c.creditId)).size).toBe(credits.length);
    // What the API answered is what was recorded.
    const refundCredits = credits.filter((c) => c.source.type === 'refund-request');
    expect(refundCredits.map((c) => c.creditId).sort()).toEqual(
      approvals
        .filter((a) => a.status === 200)
        .map((a) => a.body.refundRequestId)
        .sort(),
    );
    for (const a of approvals.filter((x) => x.status === 200))
      expect(refundCredits.find((c) => c.creditId === a.body.refundRequestId)!.amount).toBe(a.body.credit.amount);
    const cancellationCredits = cancellations
      .filter((c) => c.status === 200)
      .flatMap((c) => c.body.credits)
      .reduce((sum: number, c: any) => sum + c.amount, 0);
    expect(credits.filter((c) => c.source.type === 'cancellation').reduce((sum, c) => sum + c.amount, 0)).toBe(cancellationCredits);
    // Both lines cancelled: everything the order was paid came back, exactly.
    if (cancellations.every((c) => c.status === 200)) expect(total).toBe(paid);

    // Both replicas' read models show each credit once, and the same total.
    for (const call of calls) {
      const read = await call('GET', `/v1/credits?customerId=${customer.customerId}`, backOffice);
      expect(read.status).toBe(200);
      expect(read.body.items.map((c: any) => c.creditId).sort()).toEqual(
        credits
          .filter((c) => c.amount > 0)
          .map((c) => c.creditId)
          .sort(),
      );
      expect(read.body.totals).toEqual(total > 0 ? [{ amount: total, currency }] : []);
      const orderView = await call('GET', `/v1/orders/${order.orderId}`, agent);
      expect(orderView.body.creditable).toEqual([{ amount: paid - total, currency }]);
    }
  }
});

it('refuses an approval of no amount or more than was asked, and a rejection without a reason, deciding nothing', async () => {
  const { order, paid } = await newOrder(1);
  const id = await file(order.orderId, order.customerTenantId, Math.floor(paid / 10));
  for (const [amount, code] of [
    [0, 'validation_failed'],
    [Math.floor(paid / 10) + 1, 'invalid_amount'],
  ] as const) {
    const refused = await calls[0]!('POST', `/v1/refund-requests/${id}/approve`, backOffice, { amount });
    expect({ amount, status: refused.status, code: refused.body.error.code }).toEqual({ amount, status: 400, code });
  }
  const noReason = await calls[1]!('POST', `/v1/refund-requests/${id}/reject`, backOffice, {});
  expect({ status: noReason.status, field: noReason.body.error.details?.field }).toEqual({ status: 400, field: 'reason' });
  expect((await calls[0]!('GET', `/v1/refund-requests/${id}`, backOffice)).body.status).toBe('submitted');
});

it('an approval and a rejection of one request racing on two replicas: one decision, and a credit only if it was the approval', async () => {
  const { order, paid } = await newOrder(1);
  for (let i = 0; i < 5; i++) {
    const id = await file(order.orderId, order.customerTenantId, Math.floor(paid / 10));
    const answers = await Promise.all([
      calls[0]!('POST', `/v1/refund-requests/${id}/approve`, backOffice, {}),
      calls[1]!('POST', `/v1/refund-requests/${id}/reject`, backOffice, { reason: 'duplicate' }),
      calls[1]!('POST', `/v1/refund-requests/${id}/approve`, backOffice, {}),
      calls[0]!('POST', `/v1/refund-requests/${id}/reject`, backOffice, { reason: 'duplicate' }),
    ]);
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual([
      'refund_request_decided',
      'refund_request_decided',
      'refund_request_decided',
    ]);
    const decision = won[0]!.body.status as 'approved' | 'rejected';
    const credited = storedEvents(order.orderId).filter((e) => e.type === 'CreditIssued' && e.data.creditId === id);
    expect(credited).toHaveLength(decision === 'approved' ? 1 : 0);
    for (const call of calls) expect((await call('GET', `/v1/refund-requests/${id}`, backOffice)).body.status).toBe(decision);
  }
});
