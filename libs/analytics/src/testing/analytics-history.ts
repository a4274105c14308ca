import type { RecordedEvent } from '@csp/event-store';
import type { PurchasedLine } from '@csp/orders';
import { random, seededUuid } from '../../../projections/src/testing/generated-history';
import { Scenario, type TestCustomer } from '../../../projections/src/testing/scenario';

export interface AnalyticsHistory {
  readonly log: RecordedEvent[];
  readonly partners: readonly string[];
}

const HOUR = 3_600_000;
const MARKETS = ['FR', 'AU', 'DE', 'US', 'BR', 'JP'];
/** The test catalog's SKUs, and which of them may be cancelled (the others: refund requests for ESU, nothing for SLES). */
const SKUS = ['WS', 'SQL-SUB', 'ESU', 'SLES', 'WS-EUR'];
const CANCELLABLE = new Set(['WS', 'SQL-SUB', 'WS-EUR']);
/** Within every cancellable SKU's window (subscriptions: 7 days). */
const CANCEL_WITHIN_HOURS = 160;
const RENAMED_FAMILY = 'Windows Server (renamed)';

/**
 * A history for the analysts' groupings, made with the real deciders: three partners' customers in
 * six markets buy one to three lines (a SKU twice in an order too) in two currencies, over two
 * years that cross a decade; reveal keys, issue links and download, often days later, so that key
 * access arrives out of day order; cancel some lines or whole orders; file refund requests for
 * support-request orders and for subscriptions without an order, approved. Then what the deciders
 * of one catalog never write, but a history may hold: the catalog renamed a SKU's family half-way
 * (a purchase's lines keep the family of their day), and key access on days decades and centuries
 * apart.
 */
export function analyticsHistory(seed = 11): AnalyticsHistory {
  const draw = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(draw() * items.length)]!;
  let ids = 0;
  const s = new Scenario(() => seededUuid(`analytics-event-${seed}-${ids++}`));
  const partners = [0, 1, 2].map((p) => seededUuid(`analytics-partner-${seed}-${p}`));
  const customers: TestCustomer[] = partners.flatMap((partnerTenantId, p) =>
    [0, 1, 2, 3, 4].map((c) => ({
      customerId: seededUuid(`analytics-customer-${seed}-${p}-${c}`),
      tenantId: seededUuid(`analytics-tenant-${seed}-${p}-${c}`),
      partnerTenantId,
      market: pick(MARKETS),
    })),
  );
  let now = Date.parse('2028-10-01T08:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const [i, customer] of customers.entries()) s.register({ ...customer, name: `Customer ${i}`, domain: `c${i}-${seed}.example` }, iso(now));
  let renamedFrom = 0;
  for (let n = 0; n < 360; n++) {
    now += Math.floor(1 + draw() * 96) * HOUR;
    if (n === 180) renamedFrom = s.log.length;
    const customer = pick(customers);
    const orderId = seededUuid(`analytics-order-${seed}-${n}`);
    const skus = Array.from({ length: 1 + Math.floor(draw() * 3) }, () => pick(SKUS));
    s.order({ type: 'PurchaseSoftware', data: { orderId, customer, lines: skus.map((sku) => ({ sku, quantity: 1 + Math.floor(draw() * 4) })) } }, iso(now));
    let t = now;
    const later = () => iso((t += Math.floor(draw() * 30) * HOUR + 60_000));
    const selection = (line: number) => ({
      line,
      version: skus[line - 1] === 'ESU' ? '7' : skus[line - 1] === 'SLES' ? '15' : '2022',
      language: 'en-us',
      fileType: 'x64',
    });
    for (let r = 0; r < Math.floor(draw() * 3); r++) {
      const line = 1 + Math.floor(draw() * skus.length);
      s.order(
        {
          type: 'RevealKey',
          data: { orderId, ...selection(line), newKey: { keyId: seededUuid(`key-${orderId}-${line}`), fingerprint: `sha256:${orderId}:${line}`, material } },
        },
        later(),
      );
    }
    if (draw() < 0.6) {
      const tokenHash = seededUuid(`token-${orderId}`);
      s.order({ type: 'IssueDownloadLink', data: { orderId, ...selection(1), linkId: seededUuid(`link-${orderId}`), tokenHash } }, later());
      for (let d = 0; d < Math.floor(draw() * 4); d++)
        s.order({ type: 'RecordDownload', data: { orderId, tokenHash, client: { ip: '198.51.100.1', userAgent: 'history' } } }, later());
    }
    const cancellable = skus.map((sku, i) => (CANCELLABLE.has(sku) ? i + 1 : 0)).filter((line) => line > 0);
    if (cancellable.length > 0 && draw() < 0.35) {
      const lines = draw() < 0.5 ? cancellable : [pick(cancellable)];
      s.order({ type: 'CancelOrder', data: { orderId, reason: 'history', lines } }, iso(now + Math.floor(1 + draw() * (CANCEL_WITHIN_HOURS - 1)) * HOUR));
    }
    const agent = { sub: 'agent', tid: customer.partnerTenantId, roles: ['admin-agent'] };
    const backOffice = { sub: 'clerk', tid: customer.partnerTenantId, roles: ['back-office'] };
    const refund = (refundRequestId: string, named: { orderId: string; customerId: string } | { subscriptionId: string }, currency: string) => {
      s.refund(
        {
          type: 'SubmitRefundRequest',
          data: {
            refundRequestId,
            partnerTenantId: customer.partnerTenantId,
            customerTenantId: customer.tenantId,
            ...named,
            reason: 'history',
            amountRequested: { amount: 100 + Math.floor(draw() * 900), currency },
            contact: { name: 'Ann', email: 'ann@example.com', phone: '+33 1 00 00 00 00' },
            attachments: [],
          },
        },
        iso(now + 200 * HOUR),
        agent,
      );
      s.refund({ type: 'ApproveRefundRequest', data: { refundRequestId } }, iso(now + (200 + Math.floor(draw() * 900)) * HOUR), backOffice);
    };
    if (skus.includes('ESU')) refund(seededUuid(`refund-${orderId}`), { orderId, customerId: customer.customerId }, 'USD');
    if (draw() < 0.05) refund(seededUuid(`subscription-refund-${orderId}`), { subscriptionId: `sub-${n}` }, pick(['USD', 'EUR']));
  }
  // The first WS purchases of a partner in a market before (AT) and after (ZA) all its others, with the renamed family.
  const [first] = [...partners].sort();
  for (const [i, market] of ['AT', 'ZA'].entries()) {
    const customer = {
      customerId: seededUuid(`analytics-late-${seed}-${i}`),
      tenantId: seededUuid(`analytics-late-tenant-${seed}-${i}`),
      partnerTenantId: first!,
      market,
    };
    s.register({ ...customer, name: `Late ${i}`, domain: `late${i}-${seed}.example` }, iso((now += HOUR)));
    s.order(
      { type: 'PurchaseSoftware', data: { orderId: seededUuid(`analytics-late-order-${seed}-${i}`), customer, lines: [{ sku: 'WS', quantity: 1 }] } },
      iso(now),
    );
  }
  const farDays = [
    '1999-12-31T23:00:00.000Z',
    '2000-01-01T01:00:00.000Z',
    '2009-12-31T12:00:00.000Z',
    '2010-01-01T12:00:00.000Z',
    '2099-12-31T12:00:00.000Z',
    '2100-01-01T00:00:00.000Z',
  ];
  let reveals = 0;
  let moved = 0;
  const log = s.log.map((event, i) => {
    if (event.type === 'SoftwarePurchased' && i >= renamedFrom) {
      const data = event.data as { lines: PurchasedLine[] };
      return { ...event, data: { ...data, lines: data.lines.map((l) => (l.sku === 'WS' ? { ...l, family: RENAMED_FAMILY } : l)) } };
    }
    if (event.type === 'ProductKeyRevealed' && reveals++ % 50 === 7)
      return { ...event, data: { ...(event.data as object), revealedAt: farDays[moved++ % farDays.length] } };
    return event;
  });
  return { log, partners };
}

const material = { alg: 'A256GCM' as const, kid: 'kek-1', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y3Q=' };
