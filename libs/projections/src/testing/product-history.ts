import { orderStreamId } from '@csp/domain';
import { START, type EventStore, type Position, type RecordedEvent } from '@csp/event-store';
import { agentOf, material, Scenario, type TestCustomer } from './scenario';

/** Fixed ids and instants of the product history below, so that tests can name what they expect. */
export const ids = {
  partner: 'aaaaaaaa-0000-4000-8000-000000000001',
  otherPartner: 'aaaaaaaa-0000-4000-8000-000000000002',
  /** Perpetual + subscription order, cancelled line by line. */
  order: 'dddddddd-0000-4000-8000-000000000001',
  /** Support-request and non-cancellable lines. */
  specialOrder: 'dddddddd-0000-4000-8000-000000000002',
  /** An Australian (tax-inclusive) order whose link is used up. */
  exhaustedOrder: 'dddddddd-0000-4000-8000-000000000003',
  /** The other partner's order, in euros. */
  otherOrder: 'dddddddd-0000-4000-8000-000000000004',
  approvedRefund: 'eeeeeeee-0000-4000-8000-000000000001',
  rejectedRefund: 'eeeeeeee-0000-4000-8000-000000000002',
  key: 'ffffffff-0000-4000-8000-00000000000a',
  link: 'ffffffff-0000-4000-8000-00000000000b',
};

export const contoso: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-000000000001',
  tenantId: 'bbbbbbbb-0000-4000-8000-000000000001',
  partnerTenantId: ids.partner,
  market: 'FR',
};
export const wingtip: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-000000000002',
  tenantId: 'bbbbbbbb-0000-4000-8000-000000000002',
  partnerTenantId: ids.partner,
  market: 'AU',
};
export const fabrikam: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-000000000003',
  tenantId: 'bbbbbbbb-0000-4000-8000-000000000003',
  partnerTenantId: ids.otherPartner,
  market: 'DE',
};

export const T0 = '2026-03-02T10:00:00.000Z';
const at = (hoursAfterT0: number) => new Date(Date.parse(T0) + hoursAfterT0 * 3_600_000).toISOString();
const selection = { version: '2025', language: 'en-us', fileType: 'x64' };
const sel = { line: 1, ...selection };

/**
 * The key revealed (twice) and the link issued and downloaded (once) on the first line of
 * `ids.order`, in what every read model of them shows alike; each adds its own state (revoked,
 * status, downloads remaining).
 */
export const firstKey = { keyId: ids.key, ...selection, fingerprint: 'sha256:key-1', reveals: 2, lastRevealedAt: '2026-03-02T12:00:00.000Z' };
export const firstLink = { linkId: ids.link, ...selection, issuedAt: '2026-03-02T13:00:00.000Z', expiresAt: '2026-03-16T13:00:00.000Z', downloads: 1 };

export interface ProductHistory {
  readonly log: RecordedEvent[];
  /** Index in `log` of the first event of each step, to look at the read models in between. */
  readonly steps: Readonly<Record<'firstCancel' | 'secondCancel' | 'refunds', number>>;
}

/**
 * Everything a customer's software can go through, for three customers of two partners: purchase,
 * key reveals (first and repeated), link issues, downloads up to exhaustion, a cancellation of one
 * line and then of the other, approved and rejected refund requests, and events the read side does
 * not know. Built with the real deciders.
 */
export function productHistory(): ProductHistory {
  const s = new Scenario();
  s.register({ ...contoso, name: 'Contoso' }, at(-24));
  s.register({ ...wingtip, name: 'Wingtip' }, at(-23));
  s.register({ ...fabrikam, name: 'Fabrikam' }, at(-22));

  s.purchase(ids.order, contoso, { WS: 2, 'SQL-SUB': 1 }, T0);
  s.order({ type: 'RevealKey', data: { orderId: ids.order, ...sel, newKey: { keyId: ids.key, fingerprint: 'sha256:key-1', material } } }, at(1));
  // The same selection again: the same key, one more audited reveal, this time by the customer's admin.
  s.order({ type: 'RevealKey', data: { orderId: ids.order, ...sel, newKey: { keyId: 'unused', fingerprint: 'unused', material } } }, at(2), {
    sub: 'admin@contoso',
    tid: contoso.tenantId,
    roles: ['customer-global-admin'],
  });
  s.order({ type: 'IssueDownloadLink', data: { orderId: ids.order, ...sel, linkId: ids.link, tokenHash: 'hash-1' } }, at(3));
  s.order({ type: 'RecordDownload', data: { orderId: ids.order, tokenHash: 'hash-1', client: { ip: '203.0.113.7', userAgent: 'curl/8' } } }, at(4));
  s.foreign(orderStreamId(ids.order), 'OrderNoteAdded', at(4.5));
  s.foreign('inventory-1', 'StockCounted', at(4.6));

  s.purchase(ids.specialOrder, contoso, { ESU: 1, SLES: 3 }, at(5));

  s.purchase(ids.exhaustedOrder, wingtip, { WS: 1 }, at(6));
  s.order({ type: 'IssueDownloadLink', data: { orderId: ids.exhaustedOrder, ...sel, linkId: 'link-exhausted', tokenHash: 'hash-2' } }, at(6));
  for (let i = 0; i < 50; i++)
    s.order({ type: 'RecordDownload', data: { orderId: ids.exhaustedOrder, tokenHash: 'hash-2', client: { sub: 'script@wingtip' } } }, at(7 + i / 100));

  s.purchase(ids.otherOrder, fabrikam, { 'WS-EUR': 1 }, at(2.5));
  s.order({ type: 'RevealKey', data: { orderId: ids.otherOrder, ...sel, newKey: { keyId: 'key-other', fingerprint: 'sha256:other', material } } }, at(2.5));

  const firstCancel = s.log.length;
  s.order({ type: 'CancelOrder', data: { orderId: ids.order, reason: 'bought by mistake', lines: [1] } }, at(24));
  s.order({ type: 'CancelOrder', data: { orderId: ids.otherOrder, reason: 'duplicate' } }, at(24));
  const secondCancel = s.log.length;
  s.order({ type: 'CancelOrder', data: { orderId: ids.order, reason: 'project stopped' } }, at(48));

  const refunds = s.log.length;
  const backOffice = { sub: 'clerk', tid: ids.partner, roles: ['back-office'] };
  const request = (refundRequestId: string, amount: number) => ({
    type: 'SubmitRefundRequest' as const,
    data: {
      refundRequestId,
      partnerTenantId: ids.partner,
      customerTenantId: contoso.tenantId,
      customerId: contoso.customerId,
      orderId: ids.specialOrder,
      reason: 'ESU bought twice',
      amountRequested: { amount, currency: 'USD' },
      contact: { name: 'Ann', email: 'ann@contoso.example', phone: '+33 1 00 00 00 00' },
      attachments: [],
    },
  });
  s.refund(request(ids.approvedRefund, 500), at(50), agentOf(ids.partner));
  s.refund({ type: 'ApproveRefundRequest', data: { refundRequestId: ids.approvedRefund } }, '2026-04-02T09:00:00.000Z', backOffice);
  s.refund(request(ids.rejectedRefund, 700), at(51), agentOf(ids.partner));
  s.refund({ type: 'RejectRefundRequest', data: { refundRequestId: ids.rejectedRefund, reason: 'not a duplicate' } }, '2026-04-02T10:00:00.000Z', backOffice);
  return { log: s.log, steps: { firstCancel, secondCancel, refunds } };
}

/** Appends recorded events to a store again, in their order, each run of one stream's events as one append. */
export async function appendAll(eventStore: EventStore, events: readonly RecordedEvent[]): Promise<Position> {
  let last: Position = START;
  for (let i = 0; i < events.length;) {
    const streamId = events[i]!.streamId;
    let end = i;
    while (end < events.length && events[end]!.streamId === streamId) end++;
    const batch = events.slice(i, end).map((e) => ({ eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata }));
    last = (await eventStore.append(streamId, batch, 'any')).position;
    i = end;
  }
  return last;
}
