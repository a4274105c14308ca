/**
 * An order life through the real API that leaves what a move between stores must keep: customers,
 * revealed product keys (encrypted under their tenants' data keys), a download link, a cancellation
 * and an approved refund with their credits, a crypto-shredded tenant. `expectSameProduct` checks
 * another deployment (a restored backup, a copy on another store) gives the same answers, then goes
 * on with the copied customers and orders.
 */
import { randomUUID } from 'node:crypto';
import { client, mintToken } from './server';

interface Server {
  readonly baseUrl: string;
  readonly secret: string;
}

export interface Workload {
  readonly partner: string;
  readonly customerId: string;
  readonly reveals: { readonly orderId: string; readonly selection: object; readonly productKey: string }[];
  readonly purchase: { readonly lines: object[]; readonly idempotencyKey: string; readonly orderId: string };
  readonly openOrderId: string;
  readonly shredded: { readonly orderId: string; readonly selection: object };
  readonly linkUrl: string;
  readonly credits: unknown;
  readonly software: unknown;
}

const tokens = (server: Server, partner: string) => {
  const t = (tid: string, ...roles: string[]) => mintToken(server.secret, { sub: `${roles[0]}-user`, tid, roles });
  return { agent: t(partner, 'admin-agent'), admin: t(partner, 'global-admin'), backOffice: t(randomUUID(), 'back-office') };
};

function expectStatus(res: { status: number; text: string }, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
}

export async function orderLifeWorkload(server: Server, partner = randomUUID()): Promise<Workload> {
  const call = client(server.baseUrl);
  const { agent, admin, backOffice } = tokens(server, partner);
  const catalog = (await call('GET', '/v1/catalog', agent)).body.items as any[];
  const perpetual = catalog.find((i) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard' && i.downgradeDepth >= 1);
  const esu = catalog.find((i) => i.cancellationClass === 'support-request');
  const selection = (version: string) => ({ line: 1, version, language: perpetual.languages[0], fileType: perpetual.fileTypes[0] });
  const register = async (name: string) => {
    const res = await call('POST', '/v1/customers', agent, { name, domain: `${randomUUID().slice(0, 8)}.example`, market: 'FR' });
    expectStatus(res, 201);
    return res.body as { customerId: string; tenantId: string };
  };
  const buy = async (customerId: string, lines: object[], idempotencyKey?: string) => {
    const res = await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines, ...(idempotencyKey ? { idempotencyKey } : {}) });
    expectStatus(res, 201);
    return res.body.orderId as string;
  };

  const customer = await register('Contoso');
  const lines = [{ sku: perpetual.sku, quantity: 2 }];
  const idempotencyKey = `po-${randomUUID()}`;
  const orderId = await buy(customer.customerId, lines, idempotencyKey);
  const reveals = [];
  for (const version of [perpetual.versions[0], perpetual.versions[1]]) {
    const res = await call('POST', `/v1/orders/${orderId}/keys`, agent, selection(version));
    expectStatus(res, 200);
    reveals.push({ orderId, selection: selection(version), productKey: res.body.productKey as string });
  }
  const link = await call('POST', `/v1/orders/${orderId}/download-links`, agent, selection(perpetual.versions[0]));
  expectStatus(link, 201);
  const linkUrl = (link.body.url as string).replace(/^https?:\/\/[^/]+/, '');
  expectStatus(await call('GET', `${server.baseUrl}${linkUrl}`), 200);

  const cancelled = await buy(customer.customerId, [{ sku: perpetual.sku, quantity: 1 }]);
  expectStatus(await call('POST', `/v1/orders/${cancelled}/keys`, agent, selection(perpetual.versions[0])), 200);
  expectStatus(await call('POST', `/v1/orders/${cancelled}/cancel`, agent, { reason: 'customer changed plans' }), 200);
  const esuOrder = await buy(customer.customerId, [{ sku: esu.sku, quantity: 1 }]);
  const refund = await call('POST', '/v1/refund-requests', agent, {
    tenantId: customer.tenantId,
    orderId: esuOrder,
    reason: 'bought by mistake',
    amount: 500,
    contact: { name: 'Ana', email: 'ana@contoso.example', phone: '+33 1 23 45 67 89' },
  });
  expectStatus(refund, 201);
  expectStatus(await call('POST', `/v1/refund-requests/${refund.body.refundRequestId}/approve`, backOffice, {}), 200);
  const openOrderId = await buy(customer.customerId, [{ sku: perpetual.sku, quantity: 3 }]);

  const gone = await register('Fabrikam');
  const goneOrder = await buy(gone.customerId, [{ sku: perpetual.sku, quantity: 1 }]);
  expectStatus(await call('POST', `/v1/orders/${goneOrder}/keys`, agent, selection(perpetual.versions[0])), 200);
  expectStatus(await call('POST', `/v1/customers/${gone.customerId}/key-material/destroy`, admin, { reason: 'offboarding' }), 200);

  const credits = await call('GET', '/v1/credits?month=2026-04', admin);
  expectStatus(credits, 200);
  const software = await call('GET', `/v1/customers/${customer.customerId}/software`, agent);
  expectStatus(software, 200);
  return {
    partner,
    customerId: customer.customerId,
    reveals,
    purchase: { lines, idempotencyKey, orderId },
    openOrderId,
    shredded: { orderId: goneOrder, selection: selection(perpetual.versions[0]) },
    linkUrl,
    credits: credits.body,
    software: software.body,
  };
}

/** Waits until the deployment's read models have caught up with the history it found at start. */
export async function untilReady(server: Server): Promise<void> {
  const call = client(server.baseUrl);
  let last = '';
  for (let i = 0; i < 600; i++) {
    const ready = await call('GET', '/health/ready');
    if (ready.status === 200) return;
    last = ready.text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the read models did not catch up within 60 s: ${last}`);
}

/**
 * The same product on `server` as the one the workload ran on: the same product keys revealed, the
 * shredded tenant's refused, the same credits and software list, the purchase's idempotency key
 * answering with its order; then the order life goes on with the copied customer and orders.
 */
export async function expectSameProduct(server: Server, workload: Workload): Promise<void> {
  const call = client(server.baseUrl);
  const { agent, admin } = tokens(server, workload.partner);
  // Read first: a reveal is an audited access, an event of its own.
  expect((await call('GET', '/v1/credits?month=2026-04', admin)).body).toEqual(workload.credits);
  expect((await call('GET', `/v1/customers/${workload.customerId}/software`, agent)).body).toEqual(workload.software);
  for (const reveal of workload.reveals) {
    const res = await call('POST', `/v1/orders/${reveal.orderId}/keys`, agent, reveal.selection);
    expect({ status: res.status, productKey: res.body.productKey }).toEqual({ status: 200, productKey: reveal.productKey });
  }
  expect((await call('POST', `/v1/orders/${workload.shredded.orderId}/keys`, agent, workload.shredded.selection)).status).toBe(410);

  const again = await call('POST', `/v1/customers/${workload.customerId}/orders`, agent, {
    lines: workload.purchase.lines,
    idempotencyKey: workload.purchase.idempotencyKey,
  });
  expect({ status: again.status, orderId: again.body.orderId }).toEqual({ status: 201, orderId: workload.purchase.orderId });
  const download = await call('GET', `${server.baseUrl}${workload.linkUrl}`);
  expect(download.status).toBe(200);
  const cancel = await call('POST', `/v1/orders/${workload.openOrderId}/cancel`, agent, { reason: 'after the move' });
  expect(cancel.status).toBe(200);
  expect(cancel.body.credits).toEqual([expect.objectContaining({ line: 1, invoiceMonth: '2026-04' })]);
  const bought = await call('POST', `/v1/customers/${workload.customerId}/orders`, agent, { lines: workload.purchase.lines });
  expect(bought.status).toBe(201);
  const fresh = await call('POST', `/v1/orders/${bought.body.orderId}/keys`, agent, workload.reveals[0]!.selection);
  expect(fresh.status).toBe(200);
}
