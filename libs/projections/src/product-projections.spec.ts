import { EVENT_TYPES } from '@csp/domain';
import type { CreditIssued } from '@csp/orders';
import type { RecordedEvent } from '@csp/event-store';
import { fold } from './testing/fold';
import { contoso, fabrikam, firstKey, firstLink, ids, productHistory, T0, wingtip } from './testing/product-history';
import { activityIndexes, activityLogProjection, type ActivityEntry } from '@csp/audit';
import { creditIndexes, creditsProjection, type CreditView } from '@csp/credits';
import { customersProjection } from '@csp/customers';
import {
  customerOrdersIndex,
  orderHistoryIndex,
  orderHistoryProjection,
  softwareListProjection,
  softwareOrderKey,
  type OrderHistoryView,
  type SoftwareOrderView,
} from '@csp/orders';

const { log, steps } = productHistory();
const upTo = (step: number) => log.slice(0, step);
const types = (events: readonly RecordedEvent[]) => events.map((e) => e.type);

describe('every event type of the product appears in the history these tests use', () => {
  // All but what no read model reads: destroyed key material and throttling records.
  const notProjected = new Set(['CustomerKeyMaterialDestroyed', 'KeyAccessThrottled']);
  it.each(EVENT_TYPES.filter((type) => !notProjected.has(type)))('%s', (type) => expect(types(log)).toContain(type));
});

describe('customers projection', () => {
  it('keeps each registration by customer id, with its tenant and partner', () => {
    const { docs } = fold(customersProjection, log);
    expect(docs.get(`customer:${contoso.customerId}`)).toEqual({
      customerId: contoso.customerId,
      tenantId: contoso.tenantId,
      partnerTenantId: ids.partner,
      name: 'Contoso',
      domain: 'contoso.example',
      market: 'FR',
      registeredAt: '2026-03-01T10:00:00.000Z',
    });
    expect([...docs.keys()]).toHaveLength(3);
  });
});

describe('software list projection', () => {
  const orderOf = (events: readonly RecordedEvent[], orderId = ids.order) =>
    fold(softwareListProjection, events).docs.get(softwareOrderKey(orderId)) as SoftwareOrderView;

  it('lists each purchased line with its entitled versions and the deadline of its own window', () => {
    const order = orderOf(log.slice(0, 4));
    expect(order).toEqual(
      expect.objectContaining({
        orderId: ids.order,
        customerId: contoso.customerId,
        customerTenantId: contoso.tenantId,
        partnerTenantId: ids.partner,
        purchasedAt: T0,
        taxInclusive: false,
      }),
    );
    expect(order.lines).toEqual([
      {
        line: 1,
        sku: 'WS',
        family: 'Windows Server',
        name: 'WS name',
        licenseType: 'perpetual',
        quantity: 2,
        amount: 2000,
        currency: 'USD',
        status: 'active',
        // n-1 downgrade rights: the version bought and the one before it.
        entitledVersions: ['2025', '2022'],
        languages: ['en-us', 'fr-fr'],
        fileTypes: ['x64'],
        cancellationClass: 'standard',
        // 30 days (720 h) for perpetual licences under the policy recorded in the purchase.
        cancellationDeadline: '2026-04-01T10:00:00.000Z',
        keys: [],
        links: [],
      },
      expect.objectContaining({
        line: 2,
        sku: 'SQL-SUB',
        licenseType: 'subscription',
        termMonths: 12,
        amount: 36500,
        entitledVersions: ['2022'],
        cancellationDeadline: '2026-03-09T10:00:00.000Z',
      }),
    ]);
  });

  it('orders a customer’s orders by purchase instant and marks tax-inclusive markets', () => {
    const { docs, indexes } = fold(softwareListProjection, log);
    expect(indexes.get(customerOrdersIndex(contoso.customerId))!.map((e) => e.split('|')[1])).toEqual([ids.order, ids.specialOrder]);
    expect((docs.get(softwareOrderKey(ids.exhaustedOrder)) as SoftwareOrderView).taxInclusive).toBe(true);
    expect(indexes.get(customerOrdersIndex(fabrikam.customerId))).toHaveLength(1);
  });

  it('keeps revealed keys by fingerprint only, counting every reveal', () => {
    const [line] = orderOf(upTo(steps.firstCancel)).lines;
    expect(line!.keys).toEqual([{ ...firstKey, revoked: false }]);
    const text = JSON.stringify(fold(softwareListProjection, log).docs.get(softwareOrderKey(ids.order)));
    expect(text).not.toContain('ciphertext');
    expect(text).not.toContain('tokenHash');
  });

  it('keeps download links with their downloads counted', () => {
    const [line] = orderOf(upTo(steps.firstCancel)).lines;
    expect(line!.links).toEqual([{ ...firstLink, maxDownloads: 50, revoked: false }]);
    const exhausted = orderOf(upTo(steps.firstCancel), ids.exhaustedOrder);
    expect(exhausted.lines[0]!.links[0]).toEqual(expect.objectContaining({ downloads: 50, maxDownloads: 50 }));
  });

  it('marks a cancelled line in its place and revokes its keys and links; the other line stays active', () => {
    const order = orderOf(upTo(steps.secondCancel));
    expect(order.lines.map((l) => [l.line, l.status, l.cancelledAt])).toEqual([
      [1, 'cancelled', '2026-03-03T10:00:00.000Z'],
      [2, 'active', undefined],
    ]);
    expect(order.lines[0]!.keys.map((k) => k.revoked)).toEqual([true]);
    expect(order.lines[0]!.links.map((k) => k.revoked)).toEqual([true]);
    expect(order.lines[0]!.keys[0]!.reveals).toBe(2);
  });

  it('marks every line once the rest of the order is cancelled', () => {
    expect(orderOf(log).lines.map((l) => [l.line, l.status, l.cancelledAt])).toEqual([
      [1, 'cancelled', '2026-03-03T10:00:00.000Z'],
      [2, 'cancelled', '2026-03-04T10:00:00.000Z'],
    ]);
  });

  it('ignores event types it does not know', () => {
    const known = log.filter((e) => e.type !== 'OrderNoteAdded' && e.type !== 'StockCounted');
    expect(fold(softwareListProjection, log).docs).toEqual(fold(softwareListProjection, known).docs);
  });

  it('refuses an order event whose purchase it never saw, naming it', () => {
    const orphan = log.find((e) => e.type === 'ProductKeyRevealed')!;
    expect(() => fold(softwareListProjection, [orphan])).toThrow(/ProductKeyRevealed at order-.*has no purchase before it/);
  });
});

describe('order history projection', () => {
  const historyOf = (events: readonly RecordedEvent[]) => fold(orderHistoryProjection, events).docs.get(`order:${ids.order}`) as OrderHistoryView;

  it('goes from active to partially cancelled to cancelled, keeping totals per currency', () => {
    expect(historyOf(upTo(steps.firstCancel))).toEqual(
      expect.objectContaining({ status: 'active', linesCount: 2, cancelledLines: [], totals: [{ amount: 38500, currency: 'USD' }], purchasedAt: T0 }),
    );
    expect(historyOf(upTo(steps.secondCancel))).toEqual(
      expect.objectContaining({ status: 'partially-cancelled', cancelledLines: [1], cancelledAt: '2026-03-03T10:00:00.000Z' }),
    );
    expect(historyOf(log)).toEqual(expect.objectContaining({ status: 'cancelled', cancelledLines: [1, 2], cancelledAt: '2026-03-04T10:00:00.000Z' }));
  });

  it('lists every event of the order with the instant it names, and nothing from other streams', () => {
    const events = historyOf(log).events;
    expect(events.map((e) => e.type)).toEqual([
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
      'OrderCancelled',
      'CreditIssued',
    ]);
    expect(events.slice(0, 6).map((e) => e.at)).toEqual([
      T0,
      '2026-03-02T11:00:00.000Z',
      '2026-03-02T11:00:00.000Z',
      '2026-03-02T12:00:00.000Z',
      '2026-03-02T13:00:00.000Z',
      '2026-03-02T14:00:00.000Z',
    ]);
  });

  it('indexes a customer’s orders by purchase instant', () => {
    const { indexes } = fold(orderHistoryProjection, log);
    expect(indexes.get(orderHistoryIndex(contoso.customerId))!.map((e) => e.split('|')[1])).toEqual([ids.order, ids.specialOrder]);
  });
});

describe('activity log projection', () => {
  const { docs, indexes } = fold(activityLogProjection, log);
  const entries = [...docs.values()] as ActivityEntry[];

  it('has one entry per key reveal, link issue and download, and nothing else', () => {
    const count = (type: string) => log.filter((e) => e.type === type).length;
    expect(entries).toHaveLength(count('ProductKeyRevealed') + count('DownloadLinkIssued') + count('SoftwareDownloaded'));
    expect(entries.filter((e) => e.kind === 'key-revealed')).toHaveLength(count('ProductKeyRevealed'));
  });

  it('records who revealed which key, by fingerprint, when the reveal happened', () => {
    const reveal = log.filter((e) => e.type === 'ProductKeyRevealed')[1]!;
    expect(docs.get(`entry:${reveal.eventId}`)).toEqual({
      entryId: reveal.eventId,
      kind: 'key-revealed',
      at: '2026-03-02T12:00:00.000Z',
      actor: { sub: 'admin@contoso', tid: contoso.tenantId, roles: ['customer-global-admin'] },
      partnerTenantId: ids.partner,
      customerId: contoso.customerId,
      customerTenantId: contoso.tenantId,
      orderId: ids.order,
      line: 1,
      sku: 'WS',
      version: '2025',
      language: 'en-us',
      fileType: 'x64',
      keyFingerprint: 'sha256:key-1',
      position: reveal.position.commit.toString(),
    });
  });

  it('records link issues and downloads with their link, and the downloading client', () => {
    const download = entries.find((e) => e.kind === 'software-downloaded' && e.orderId === ids.order)!;
    expect(download).toEqual(expect.objectContaining({ at: '2026-03-02T14:00:00.000Z', actor: { ip: '203.0.113.7', userAgent: 'curl/8' }, linkId: ids.link }));
    expect(download.keyFingerprint).toBeUndefined();
    expect(entries.find((e) => e.kind === 'software-downloaded' && e.customerId === wingtip.customerId)!.actor).toEqual({ sub: 'script@wingtip' });
    expect(entries.find((e) => e.kind === 'download-link-issued' && e.orderId === ids.order)).toEqual(
      expect.objectContaining({ actor: expect.objectContaining({ roles: ['admin-agent'] }), linkId: ids.link }),
    );
  });

  it('indexes entries by partner, customer and customer tenant, each inside its partner, in (time, position) order', () => {
    const partner = indexes.get(activityIndexes.partner(ids.partner))!;
    expect(partner).toEqual([...partner].sort());
    expect(partner).toHaveLength(entries.filter((e) => e.partnerTenantId === ids.partner).length);
    expect(indexes.get(activityIndexes.customer(ids.partner, contoso.customerId))).toHaveLength(4);
    expect(indexes.get(activityIndexes.customerTenant(ids.partner, wingtip.tenantId))).toHaveLength(51);
    expect(indexes.get(activityIndexes.customer(ids.partner, fabrikam.customerId))).toBeUndefined();
    expect(indexes.get(activityIndexes.customer(ids.otherPartner, fabrikam.customerId))).toHaveLength(1);
  });

  it('refuses an access whose instant is not one, rather than misfile it', () => {
    const reveal = log.find((e) => e.type === 'ProductKeyRevealed')!;
    const damaged = { ...reveal, data: { ...(reveal.data as object), revealedAt: 'yesterday' } };
    expect(() => fold(activityLogProjection, [damaged])).toThrow(/not an ISO-8601 instant/);
  });
});

describe('credits projection', () => {
  const { docs, indexes } = fold(creditsProjection, log);
  const issued = log.filter((e) => e.type === 'CreditIssued').map((e) => e.data as CreditIssued['data']);

  it('keeps every credit issued, from cancellations and approved refund requests only', () => {
    expect([...docs.values()]).toEqual(expect.arrayContaining(issued));
    expect([...docs.keys()].filter((key) => key.startsWith('credit:'))).toHaveLength(issued.length);
    expect(issued.map((c) => c.source.type).sort()).toEqual(['cancellation', 'cancellation', 'cancellation', 'refund-request']);
    const refund = docs.get(`credit:${ids.approvedRefund}`) as CreditView;
    expect(refund).toEqual(
      expect.objectContaining({ amount: 500, currency: 'USD', invoiceMonth: '2026-05', customerId: contoso.customerId, partnerTenantId: ids.partner }),
    );
    expect(docs.get(`credit:${ids.rejectedRefund}`)).toBeUndefined();
  });

  it('indexes credits by invoice month, overall, per partner and per customer', () => {
    expect(indexes.get(creditIndexes.all)!.map((e) => e.split('|')[0])).toEqual(['2026-04', '2026-04', '2026-04', '2026-05']);
    expect(indexes.get(creditIndexes.partner(ids.otherPartner))).toHaveLength(1);
    expect(indexes.get(creditIndexes.customer(contoso.customerId))).toHaveLength(3);
  });
});

describe('projections are pure', () => {
  it('give the same read model for the same events, whatever was computed before', () => {
    for (const projection of [customersProjection, softwareListProjection, orderHistoryProjection, activityLogProjection, creditsProjection]) {
      expect(fold(projection, log)).toEqual(fold(projection, log));
    }
  });

  it('do not touch the documents they are given', () => {
    const purchase = log.find((e) => e.type === 'SoftwarePurchased')!;
    const before = fold(softwareListProjection, [purchase]);
    const frozen = JSON.stringify([...before.docs]);
    fold(softwareListProjection, log.filter((e) => e.streamId === purchase.streamId).slice(1), { docs: new Map(before.docs), indexes: new Map() });
    expect(JSON.stringify([...before.docs])).toBe(frozen);
  });
});

describe('the credit of an approved refund request that names an order', () => {
  const isRefundCredit = (e: RecordedEvent) => e.type === 'CreditIssued' && (e.data as CreditIssued['data']).source.type === 'refund-request';
  const specialHistory = (events: readonly RecordedEvent[]) => fold(orderHistoryProjection, events).docs.get(`order:${ids.specialOrder}`) as OrderHistoryView;

  it("is in the order's stream, so the order's history and the credits show it once each", () => {
    const [credit, ...others] = log.filter(isRefundCredit);
    expect(others).toEqual([]);
    expect(credit!.streamId).toBe(`order-${ids.specialOrder}`);
    expect(specialHistory(log).events.filter((e) => e.type === 'CreditIssued')).toEqual([
      expect.objectContaining({ position: credit!.position.commit.toString() }),
    ]);
    const { docs, indexes } = fold(creditsProjection, log);
    expect([...docs.keys()].filter((k) => k === `credit:${ids.approvedRefund}`)).toHaveLength(1);
    expect(indexes.get(creditIndexes.all)!.filter((e) => e.endsWith(`|${ids.approvedRefund}`))).toHaveLength(1);
  });

  it("stored in the request's own stream (decided before decisions moved to the order) counts once in the credits, and stays out of the order's history", () => {
    const legacy = log.map((e) => (isRefundCredit(e) ? { ...e, streamId: `refundRequest-${ids.approvedRefund}`, revision: 2n } : e));
    const { docs } = fold(creditsProjection, legacy);
    expect(docs.get(`credit:${ids.approvedRefund}`)).toEqual(
      expect.objectContaining({ amount: 500, source: expect.objectContaining({ orderId: ids.specialOrder }) }),
    );
    expect(docs.size).toBe(fold(creditsProjection, log).docs.size);
    expect(specialHistory(legacy).events.filter((e) => e.type === 'CreditIssued')).toEqual([]);
  });
});
