import {
  decideCustomerRegistry,
  decideOrder,
  decideRefundRequest,
  evolveOrder,
  initialCustomerRegistryState,
  initialOrderState,
  initialRefundRequestState,
  parseCatalog,
  type Actor,
  type CancellationPolicy,
  type OrderCommand,
  type OrderEvent,
} from '@csp/domain';
import type { RecordedEvent } from '@csp/event-store';
import { applyBatch } from '../runner/apply-batch';
import { MemoryReadModelStore } from '../store/memory-store';
import { ReadModels } from '../queries/read-models';
import { recorder } from '../testing/recorded';
import { PROJECTIONS } from '.';

const PARTNER = 'aaaaaaaa-0000-4000-8000-000000000001';
const TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
const CUSTOMER = 'cccccccc-0000-4000-8000-000000000003';
const ORDER = 'dddddddd-0000-4000-8000-000000000004';
const T0 = '2026-03-02T10:00:00.000Z';
const agent: Actor = { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] };
const policies: CancellationPolicy[] = [{ id: 'p', effectiveFrom: '2023-06-30T00:00:00.000Z', perpetual: { windowHours: 720, credit: 'full' }, subscription: { windowHours: 168, credit: 'prorated' } }];
const catalog = parseCatalog(
  {
    items: [
      { sku: 'WS', family: 'Windows Server', name: 'Windows Server', licenseType: 'perpetual', unitPrice: { amount: 1000, currency: 'USD' }, versions: ['2025', '2022', '2019'], languages: ['en-us'], fileTypes: ['x64'], downgradeDepth: 1, cancellationClass: 'standard' },
      { sku: 'SUB', family: 'SQL Server', name: 'SQL sub', licenseType: 'subscription', termMonths: 12, unitPrice: { amount: 36500, currency: 'USD' }, versions: ['2022'], languages: ['en-us'], fileTypes: ['x64'], downgradeDepth: 0, cancellationClass: 'standard' },
    ],
  },
  [],
);
const material = { alg: 'A256GCM' as const, kid: 'k', iv: 'i', tag: 't', ciphertext: 'c' };
const sel = { line: 1, version: '2025', language: 'en-us', fileType: 'x64' };

/** Builds the event log of a realistic scenario with the real deciders. */
function scenario() {
  const record = recorder();
  const log: RecordedEvent[] = [];
  log.push(...record(`customers-${PARTNER}`, decideCustomerRegistry({ type: 'RegisterCustomer', data: { customerId: CUSTOMER, tenantId: TENANT, partnerTenantId: PARTNER, name: 'Contoso', domain: 'contoso.example', market: 'FR' }, metadata: { actor: agent, now: T0 } }, initialCustomerRegistryState)));
  let state = initialOrderState;
  const run = (command: OrderCommand) => {
    const events = decideOrder(command, state, { catalog, policies });
    state = events.reduce(evolveOrder, state);
    log.push(...record(`order-${ORDER}`, events as OrderEvent[]));
  };
  const m = (now: string) => ({ actor: agent, now });
  run({ type: 'PurchaseSoftware', data: { orderId: ORDER, customer: { customerId: CUSTOMER, tenantId: TENANT, partnerTenantId: PARTNER, market: 'FR' }, lines: [{ sku: 'WS', quantity: 2 }, { sku: 'SUB', quantity: 1 }] }, metadata: m(T0) });
  run({ type: 'RevealKey', data: { orderId: ORDER, ...sel, newKey: { keyId: 'key-1', fingerprint: 'fp-1', material } }, metadata: m('2026-03-02T11:00:00.000Z') });
  run({ type: 'RevealKey', data: { orderId: ORDER, ...sel, newKey: { keyId: 'key-x', fingerprint: 'fp-x', material } }, metadata: m('2026-03-02T12:00:00.000Z') });
  run({ type: 'IssueDownloadLink', data: { orderId: ORDER, ...sel, linkId: 'link-1', tokenHash: 'h1' }, metadata: m('2026-03-02T13:00:00.000Z') });
  run({ type: 'RecordDownload', data: { orderId: ORDER, tokenHash: 'h1', client: { ip: '203.0.113.7' } }, metadata: m('2026-03-02T14:00:00.000Z') });
  const beforeCancel = log.length;
  run({ type: 'CancelOrder', data: { orderId: ORDER, reason: 'x', lines: [1] }, metadata: m('2026-03-03T10:00:00.000Z') });
  const refund = 'eeeeeeee-0000-4000-8000-000000000005';
  const submitted = decideRefundRequest({ type: 'SubmitRefundRequest', data: { refundRequestId: refund, partnerTenantId: PARTNER, customerTenantId: TENANT, customerId: CUSTOMER, orderId: ORDER, reason: 'dispute', amountRequested: { amount: 500, currency: 'USD' }, contact: { name: 'A', email: 'a@b.example', phone: '1' }, attachments: [] }, metadata: m(T0) }, initialRefundRequestState);
  log.push(...record(`refundRequest-${refund}`, submitted));
  log.push(...record(`refundRequest-${refund}`, decideRefundRequest({ type: 'ApproveRefundRequest', data: { refundRequestId: refund, taxInclusive: false }, metadata: { actor: { sub: 'bo', tid: PARTNER, roles: ['back-office'] }, now: '2026-04-02T09:00:00.000Z' } }, { status: 'submitted', request: submitted[0]!.data as never })));
  return { log, beforeCancel };
}

async function project(log: readonly RecordedEvent[]) {
  const store = new MemoryReadModelStore();
  for (const projection of PROJECTIONS) {
    let checkpoint: string | undefined;
    // One event per batch and then the whole log at once must give the same result; use small batches here.
    for (let i = 0; i < log.length; i += 3) checkpoint = await applyBatch(projection, store, { model: projection.name, generation: 1 }, log.slice(i, i + 3), { expectedCheckpoint: checkpoint });
  }
  return { store, readModels: new ReadModels(store) };
}

describe('projections', () => {
  const { log, beforeCancel } = scenario();

  it('customers: every registration, by customer id', async () => {
    const { readModels } = await project(log);
    expect(await readModels.customer(CUSTOMER)).toEqual(expect.objectContaining({ tenantId: TENANT, partnerTenantId: PARTNER, domain: 'contoso.example', market: 'FR' }));
  });

  it('software list: lines with entitled versions, keys by fingerprint, links with downloads left, eligibility at query time', async () => {
    const { readModels } = await project(log.slice(0, beforeCancel));
    const list = await readModels.softwareList(CUSTOMER, new Date('2026-03-05T10:00:00.000Z'));
    expect(list.items).toHaveLength(2);
    const [ws, sub] = list.items;
    expect(ws).toEqual(expect.objectContaining({ line: 1, status: 'active', keyAvailable: true, versions: ['2025', '2022'], cancellation: expect.objectContaining({ eligible: true, daysRemaining: 27 }) }));
    expect(ws!.keys).toEqual([expect.objectContaining({ keyId: 'key-1', fingerprint: 'fp-1', status: 'active', reveals: 2, lastRevealedAt: '2026-03-02T12:00:00.000Z' })]);
    expect(ws!.downloadLinks).toEqual([expect.objectContaining({ linkId: 'link-1', downloads: 1, downloadsRemaining: 49, status: 'active' })]);
    expect(sub!.cancellation).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 4 }));
    // Time moves, the stored documents do not: links expire and windows close at query time.
    const later = await readModels.softwareList(CUSTOMER, new Date('2026-03-20T10:00:00.000Z'));
    expect(later.items[0]!.downloadLinks[0]!.status).toBe('expired');
    expect(later.items[1]!.cancellation).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0 }));
  });

  it('software list: a cancelled line keeps its place, marked, with revoked keys and links', async () => {
    const { readModels } = await project(log);
    const list = await readModels.softwareList(CUSTOMER, new Date('2026-03-03T11:00:00.000Z'));
    expect(list.items.map((i) => [i.line, i.status, i.keyAvailable])).toEqual([
      [1, 'cancelled', false],
      [2, 'active', true],
    ]);
    expect(list.items[0]!.keys[0]!.status).toBe('revoked');
    expect(list.items[0]!.downloadLinks[0]).toEqual(expect.objectContaining({ status: 'revoked', downloadsRemaining: 0 }));
  });

  it('order history: status and every event of the order', async () => {
    const { readModels } = await project(log);
    const [order] = await readModels.orderHistory(CUSTOMER);
    expect(order).toEqual(expect.objectContaining({ orderId: ORDER, status: 'partially-cancelled', linesCount: 2, cancelledLines: [1], totals: [{ amount: 38500, currency: 'USD' }] }));
    expect(order!.events.map((e) => e.type)).toEqual([
      'SoftwarePurchased',
      'ProductKeyAssigned',
      'ProductKeyRevealed',
      'ProductKeyRevealed',
      'DownloadLinkIssued',
      'SoftwareDownloaded',
      'OrderCancelled',
      'ProductKeysRevoked',
      'DownloadLinksRevoked',
      'CreditIssued',
    ]);
  });

  it('activity log: reveals, link issues and downloads with who and when, by range', async () => {
    const { readModels } = await project(log);
    const page = await readModels.activityLog({ partnerTenantId: PARTNER, from: '2026-03-02T00:00:00.000Z', to: '2026-03-02T23:59:59.999Z' });
    expect(page.items.map((e) => [e.kind, e.at])).toEqual([
      ['key-revealed', '2026-03-02T11:00:00.000Z'],
      ['key-revealed', '2026-03-02T12:00:00.000Z'],
      ['download-link-issued', '2026-03-02T13:00:00.000Z'],
      ['software-downloaded', '2026-03-02T14:00:00.000Z'],
    ]);
    expect(page.items[0]).toEqual(expect.objectContaining({ actor: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] }, keyFingerprint: 'fp-1', customerId: CUSTOMER, orderId: ORDER, sku: 'WS', version: '2025' }));
    expect(page.items[3]!.actor).toEqual({ ip: '203.0.113.7' });
    const narrow = await readModels.activityLog({ partnerTenantId: PARTNER, from: '2026-03-02T12:00:00.000Z', to: '2026-03-02T13:00:00.000Z' });
    expect(narrow.items.map((e) => e.at)).toEqual(['2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z']);
    expect((await readModels.activityLog({ partnerTenantId: 'ffffffff-0000-4000-8000-000000000000', from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' })).items).toEqual([]);
    const first = await readModels.activityLog({ partnerTenantId: PARTNER, from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z', limit: 3 });
    const rest = await readModels.activityLog({ partnerTenantId: PARTNER, from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z', cursor: first.nextCursor });
    expect([...first.items, ...rest.items]).toHaveLength(4);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('credits: cancellations and approved refund requests by invoice month, with totals', async () => {
    const { readModels } = await project(log);
    const april = await readModels.credits({ partnerTenantId: PARTNER, month: '2026-04' });
    expect(april.items.map((c) => [c.source.type, c.amount, c.invoiceMonth])).toEqual([['cancellation', 2000, '2026-04']]);
    const may = await readModels.credits({ month: '2026-05' });
    expect(may.items.map((c) => [c.source.type, c.amount])).toEqual([['refund-request', 500]]);
    const all = await readModels.credits({ customerId: CUSTOMER });
    expect(all.totals).toEqual([{ amount: 2500, currency: 'USD' }]);
  });

  it('are the same whatever the batch boundaries', async () => {
    const small = await project(log);
    const store = new MemoryReadModelStore();
    for (const projection of PROJECTIONS) await applyBatch(projection, store, { model: projection.name, generation: 1 }, log, { expectedCheckpoint: undefined });
    const whole = new ReadModels(store);
    const now = new Date('2026-03-04T00:00:00.000Z');
    expect(await whole.softwareList(CUSTOMER, now)).toEqual(await small.readModels.softwareList(CUSTOMER, now));
    expect(await whole.orderHistory(CUSTOMER)).toEqual(await small.readModels.orderHistory(CUSTOMER));
    expect(await whole.credits({})).toEqual(await small.readModels.credits({}));
  });
});
