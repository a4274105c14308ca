import { specFor } from '../testing/given-when-then';
import { agent, CUSTOMER_ID, CUSTOMER_TENANT, env, ORDER_ID, PARTNER } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import type { OrderCommand } from './commands';
import { decideOrder, LINK_MAX_DOWNLOADS } from './decide';
import { cancellationEligibility } from './eligibility';
import type { OrderEvent, Selection } from './events';
import { evolveOrder, initialOrderState, keyForSelection, type OrderState } from './state';

const spec = specFor<OrderState, OrderCommand, OrderEvent>({
  initialState: initialOrderState,
  decide: (command, state) => decideOrder(command, state, env),
  evolve: evolveOrder,
});

const H = 3_600_000;
const D = 24 * H;
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs).toISOString();
const T0 = '2026-03-02T10:00:00.000Z';
const meta = (now: string, actor: Actor = agent) => ({ actor, now });

const purchase = (now = T0, lines = [{ sku: 'WS-STD', quantity: 1 }], extra: { market?: string; requestHash?: string; idempotencyKey?: string } = {}): OrderCommand => ({
  type: 'PurchaseSoftware',
  data: {
    orderId: ORDER_ID,
    customer: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, market: extra.market ?? 'FR' },
    lines,
    ...(extra.requestHash ? { requestHash: extra.requestHash, idempotencyKey: extra.idempotencyKey ?? 'k' } : {}),
  },
  metadata: meta(now),
});
const sel = (over: Partial<Selection> = {}): Selection => ({ line: 1, version: '2025', language: 'en-us', fileType: 'x64', ...over });
const material = { alg: 'A256GCM' as const, kid: 'kek-1', iv: 'iv', tag: 'tag', ciphertext: 'ct' };
const reveal = (now: string, over: Partial<Selection> & { keyType?: string; keyId?: string } = {}): OrderCommand => ({
  type: 'RevealKey',
  data: { orderId: ORDER_ID, ...sel(over), ...(over.keyType ? { keyType: over.keyType } : {}), newKey: { keyId: over.keyId ?? 'key-1', fingerprint: `fp-${over.keyId ?? 'key-1'}`, material } },
  metadata: meta(now),
});
const issue = (now: string, linkId = 'link-1', over: Partial<Selection> = {}): OrderCommand => ({
  type: 'IssueDownloadLink',
  data: { orderId: ORDER_ID, ...sel(over), linkId, tokenHash: `hash-${linkId}` },
  metadata: meta(now),
});
const download = (now: string, linkId = 'link-1'): OrderCommand => ({
  type: 'RecordDownload',
  data: { orderId: ORDER_ID, tokenHash: `hash-${linkId}`, client: { ip: '203.0.113.9' } },
  metadata: meta(now),
});
const cancel = (now: string, lines?: number[]): OrderCommand => ({
  type: 'CancelOrder',
  data: { orderId: ORDER_ID, reason: 'customer request', ...(lines ? { lines } : {}) },
  metadata: meta(now),
});

/** The events a sequence of accepted commands produces: a readable way to write "given". */
function history(...commands: OrderCommand[]): OrderEvent[] {
  const events: OrderEvent[] = [];
  for (const command of commands) {
    const state = events.reduce(evolveOrder, initialOrderState);
    events.push(...decideOrder(command, state, env));
  }
  return events;
}
const stateOf = (events: OrderEvent[]) => events.reduce(evolveOrder, initialOrderState);

describe('PurchaseSoftware', () => {
  it('records lines numbered from 1 with catalog prices, amounts and the policy in force', () => {
    spec().when(purchase(T0, [{ sku: 'WS-STD', quantity: 3 }, { sku: 'WS-SUB-1Y', quantity: 2 }])).then(([event]) => {
      expect(event!.type).toBe('SoftwarePurchased');
      if (event!.type !== 'SoftwarePurchased') return;
      expect(event!.data.lines.map((l) => [l.line, l.sku, l.quantity, l.unitPrice, l.amount, l.currency])).toEqual([
        [1, 'WS-STD', 3, 100_000, 300_000, 'USD'],
        [2, 'WS-SUB-1Y', 2, 36_500, 73_000, 'USD'],
      ]);
      expect(event!.data.policy.id).toBe('csp-2023-06-30');
      expect(event!.data.taxInclusive).toBe(false);
      expect(event!.data.purchasedAt).toBe(T0);
      expect(event!.data.purchasedBy).toEqual({ sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] });
    });
  });

  it.each(['AU', 'BR'])('records prices as tax-inclusive in %s', (market) => {
    spec().when(purchase(T0, undefined, { market })).then(([e]) => expect(e!.type === 'SoftwarePurchased' && e!.data.taxInclusive).toBe(true));
  });

  it('takes the legacy policy for a purchase a millisecond before 2023-06-30 and the current one at midnight', () => {
    spec().when(purchase('2023-06-29T23:59:59.999Z')).then(([e]) => expect(e!.type === 'SoftwarePurchased' && e!.data.policy.id).toBe('csp-legacy-60-days'));
    spec().when(purchase('2023-06-30T00:00:00.000Z')).then(([e]) => expect(e!.type === 'SoftwarePurchased' && e!.data.policy.id).toBe('csp-2023-06-30'));
  });

  it('refuses an empty order and one over 100 lines', () => {
    spec().when(purchase(T0, [])).thenThrows('invalid', 'invalid_lines', { field: 'lines' });
    spec().when(purchase(T0, Array.from({ length: 101 }, () => ({ sku: 'WS-STD', quantity: 1 })))).thenThrows('invalid', 'invalid_lines');
    spec().when(purchase(T0, Array.from({ length: 100 }, () => ({ sku: 'WS-STD', quantity: 1 })))).then((e) => expect(e).toHaveLength(1));
  });

  it.each([0, -1, 1.5, 10_001, Number.NaN])('refuses quantity %p', (quantity) => {
    spec().when(purchase(T0, [{ sku: 'WS-STD', quantity: 1 }, { sku: 'WS-STD', quantity }])).thenThrows('invalid', 'invalid_quantity', { field: 'lines[1].quantity' });
  });

  it('accepts the quantity bounds 1 and 10,000', () => {
    spec().when(purchase(T0, [{ sku: 'WS-STD', quantity: 1 }, { sku: 'WS-STD', quantity: 10_000 }])).then((e) => expect(e).toHaveLength(1));
  });

  it('refuses an unknown SKU and a market where the SKU is not sold', () => {
    spec().when(purchase(T0, [{ sku: 'NOPE', quantity: 1 }])).thenThrows('invalid', 'unknown_sku', { field: 'lines[0].sku' });
    spec().when(purchase(T0, [{ sku: 'AZ-RI', quantity: 1 }], { market: 'AQ' })).thenThrows('invalid', 'market_not_available');
    spec().when(purchase(T0, [{ sku: 'AZ-RI', quantity: 1 }], { market: 'FR' })).then((e) => expect(e).toHaveLength(1));
  });

  it('answers a retry with the same request hash with nothing new, and refuses the key with another request', () => {
    const given = history(purchase(T0, undefined, { requestHash: 'h1' }));
    spec(given).when(purchase(T0, undefined, { requestHash: 'h1' })).then([]);
    spec(given).when(purchase(T0, undefined, { requestHash: 'h2' })).thenThrows('conflict', 'idempotency_key_reused');
    spec(history(purchase())).when(purchase()).thenThrows('conflict', 'order_exists');
  });
});

describe('RevealKey', () => {
  const bought = history(purchase());

  it('assigns a MAK key on first reveal and audits the access', () => {
    spec(bought).when(reveal(T0)).then(([assigned, revealed]) => {
      expect(assigned).toEqual({ type: 'ProductKeyAssigned', data: expect.objectContaining({ keyId: 'key-1', keyType: 'MAK', fingerprint: 'fp-key-1', material, line: 1, version: '2025' }) });
      expect(revealed).toEqual({ type: 'ProductKeyRevealed', data: expect.objectContaining({ keyId: 'key-1', fingerprint: 'fp-key-1', revealedAt: T0, revealedBy: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] }, customerTenantId: CUSTOMER_TENANT }) });
    });
  });

  it('returns the same key for the same selection, and audits every reveal', () => {
    const given = history(purchase(), reveal(T0));
    const events = spec(given).when(reveal(at(T0, H), { keyId: 'key-2' })).then((e) => expect(e.map((x) => x.type)).toEqual(['ProductKeyRevealed']));
    expect(events[0]!.type === 'ProductKeyRevealed' && events[0]!.data.keyId).toBe('key-1');
    expect(keyForSelection(stateOf(given), sel())?.keyId).toBe('key-1');
  });

  it('gives another selection its own key', () => {
    spec(history(purchase(), reveal(T0))).when(reveal(T0, { language: 'fr-fr', keyId: 'key-2' })).then((e) => expect(e[0]!.type).toBe('ProductKeyAssigned'));
  });

  it('allows the version sold, n-1 and n-2, and refuses n-3 and unknown versions', () => {
    for (const version of ['2025', '2022', '2019']) spec(bought).when(reveal(T0, { version })).then((e) => expect(e).toHaveLength(2));
    spec(bought).when(reveal(T0, { version: '2016' })).thenThrows('invalid', 'version_not_entitled', { field: 'version', entitledVersions: ['2025', '2022', '2019'] });
    spec(bought).when(reveal(T0, { version: '2030' })).thenThrows('invalid', 'version_not_entitled');
  });

  it('refuses downgrades where the SKU has no downgrade rights', () => {
    const esu = history(purchase(T0, [{ sku: 'ESU', quantity: 1 }]));
    spec(esu).when(reveal(T0, { version: '2022' })).thenThrows('invalid', 'version_not_entitled');
  });

  it('refuses KMS with a clear message, and any other key type', () => {
    const refusal = spec(bought).when(reveal(T0, { keyType: 'KMS' })).thenThrows('invalid', 'kms_not_available', { field: 'keyType' });
    expect(refusal.message).toMatch(/MAK/);
    spec(bought).when(reveal(T0, { keyType: 'kms' })).thenThrows('invalid', 'kms_not_available');
    spec(bought).when(reveal(T0, { keyType: 'retail' })).thenThrows('invalid', 'invalid_key_type');
    spec(bought).when(reveal(T0, { keyType: 'mak' })).then((e) => expect(e).toHaveLength(2));
  });

  it('refuses an unknown line, language or file type', () => {
    spec(bought).when(reveal(T0, { line: 2 })).thenThrows('invalid', 'unknown_line', { field: 'line' });
    spec(bought).when(reveal(T0, { language: 'xx-xx' })).thenThrows('invalid', 'language_not_available', { field: 'language' });
    spec(bought).when(reveal(T0, { fileType: 'arm64' })).thenThrows('invalid', 'file_type_not_available', { field: 'fileType' });
  });

  it('refuses a cancelled line and an unknown order', () => {
    spec(history(purchase(), cancel(T0))).when(reveal(T0)).thenThrows('conflict', 'line_cancelled');
    spec().when(reveal(T0)).thenThrows('not-found', 'order_not_found');
  });
});

describe('download links', () => {
  const bought = history(purchase());

  it('issue a link that expires 14 days later after 50 downloads at most', () => {
    spec(bought).when(issue(T0)).then([
      {
        type: 'DownloadLinkIssued',
        data: expect.objectContaining({ linkId: 'link-1', tokenHash: 'hash-link-1', issuedAt: T0, expiresAt: '2026-03-16T10:00:00.000Z', maxDownloads: 50, line: 1, sku: 'WS-STD' }),
      } as unknown as OrderEvent,
    ]);
  });

  it('count downloads 1 … 50 and refuse the 51st with 410, recording nothing', () => {
    const downloads = Array.from({ length: 49 }, (_, i) => download(at(T0, i * 1000)));
    const given = history(purchase(), issue(T0), ...downloads);
    spec(given).when(download(at(T0, H))).then(([e]) => expect(e!.type === 'SoftwareDownloaded' && [e!.data.downloadNumber, e!.data.downloadsRemaining]).toEqual([50, 0]));
    spec(history(purchase(), issue(T0), ...downloads, download(at(T0, H)))).when(download(at(T0, 2 * H))).thenThrows('gone', 'link_exhausted');
    expect(LINK_MAX_DOWNLOADS).toBe(50);
  });

  it('work an hour before day 14 ends and are dead at and after it', () => {
    const given = history(purchase(), issue(T0));
    spec(given).when(download(at(T0, 14 * D - H))).then((e) => expect(e).toHaveLength(1));
    spec(given).when(download(at(T0, 14 * D - 1))).then((e) => expect(e).toHaveLength(1));
    spec(given).when(download(at(T0, 14 * D))).thenThrows('gone', 'link_expired');
    spec(given).when(download(at(T0, 14 * D + H))).thenThrows('gone', 'link_expired');
  });

  it('re-issued for the same selection give a fresh 14 days and 50 downloads; the old link keeps its own limits', () => {
    const exhausted = Array.from({ length: 50 }, () => download(T0));
    const given = history(purchase(), issue(T0), ...exhausted, issue(at(T0, 13 * D), 'link-2'));
    spec(given).when(download(at(T0, 13 * D), 'link-2')).then(([e]) => expect(e!.type === 'SoftwareDownloaded' && e!.data.downloadsRemaining).toBe(49));
    spec(given).when(download(at(T0, 26 * D), 'link-2')).then((e) => expect(e).toHaveLength(1));
    spec(given).when(download(at(T0, 13 * D), 'link-1')).thenThrows('gone', 'link_exhausted');
  });

  it('are revoked with their order line: 410, and no new link for it', () => {
    const given = history(purchase(), issue(T0), cancel(at(T0, H)));
    spec(given).when(download(at(T0, 2 * H))).thenThrows('gone', 'link_revoked');
    spec(given).when(issue(at(T0, 2 * H), 'link-2')).thenThrows('conflict', 'line_cancelled');
  });

  it('refuse an unknown token and an unknown order with 404', () => {
    spec(history(purchase(), issue(T0))).when(download(T0, 'other')).thenThrows('not-found', 'link_not_found');
    spec().when(download(T0)).thenThrows('not-found', 'link_not_found');
  });

  it('refuse a selection outside the rights, like keys', () => {
    spec(bought).when(issue(T0, 'l', { version: '2016' })).thenThrows('invalid', 'version_not_entitled');
  });
});

describe('CancelOrder windows (exact hours from purchase, closed at the deadline)', () => {
  // [purchase instant, line SKU, window hours]: both policies, both licence types.
  const cases: [string, string, string, number][] = [
    ['current policy, perpetual (30 days)', '2026-03-02T10:00:00.000Z', 'WS-STD', 720],
    ['current policy, subscription (7 days)', '2026-03-02T10:00:00.000Z', 'WS-SUB-1Y', 168],
    ['legacy policy, perpetual (60 days)', '2023-06-29T12:00:00.000Z', 'WS-STD', 1440],
    ['legacy policy, subscription (60 days)', '2023-06-29T12:00:00.000Z', 'WS-SUB-1Y', 1440],
    ['current policy from its first instant, subscription', '2023-06-30T00:00:00.000Z', 'WS-SUB-1Y', 168],
  ];
  it.each(cases)('%s: an hour before closes → cancelled; at and an hour after → 409', (_name, bought, sku, hours) => {
    const given = history(purchase(bought, [{ sku, quantity: 1 }]));
    spec(given).when(cancel(at(bought, hours * H - H))).then((e) => expect(e[0]!.type).toBe('OrderCancelled'));
    spec(given).when(cancel(at(bought, hours * H - 1))).then((e) => expect(e[0]!.type).toBe('OrderCancelled'));
    spec(given).when(cancel(at(bought, hours * H))).thenThrows('conflict', 'cancellation_window_closed');
    spec(given).when(cancel(at(bought, hours * H + H))).thenThrows('conflict', 'cancellation_window_closed');
  });
});

describe('CancelOrder', () => {
  it('credits a perpetual line in full on the next monthly invoice, revokes its keys and links', () => {
    const given = history(purchase(T0, [{ sku: 'WS-STD', quantity: 2 }]), reveal(T0), issue(T0));
    spec(given).when(cancel(at(T0, 10 * D))).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['OrderCancelled', 'ProductKeysRevoked', 'DownloadLinksRevoked', 'CreditIssued']);
      const [cancelled, keys, links, credit] = events;
      expect(cancelled!.type === 'OrderCancelled' && cancelled!.data).toEqual(
        expect.objectContaining({ wholeOrder: true, invoiceMonth: '2026-04', lines: [{ line: 1, sku: 'WS-STD', licenseType: 'perpetual', amount: 200_000, credit: { amount: 200_000, currency: 'USD' } }] }),
      );
      expect(keys!.type === 'ProductKeysRevoked' && keys!.data.keys).toEqual([{ keyId: 'key-1', line: 1, fingerprint: 'fp-key-1' }]);
      expect(links!.type === 'DownloadLinksRevoked' && links!.data.links).toEqual([{ linkId: 'link-1', line: 1 }]);
      expect(credit!.type === 'CreditIssued' && credit!.data).toEqual(
        expect.objectContaining({ creditId: `${ORDER_ID}:1`, amount: 200_000, currency: 'USD', invoiceMonth: '2026-04', taxInclusive: false, partnerTenantId: PARTNER, customerId: CUSTOMER_ID }),
      );
    });
  });

  it('puts a December cancellation on January\'s invoice', () => {
    const bought = '2026-12-20T10:00:00.000Z';
    spec(history(purchase(bought))).when(cancel(at(bought, D))).then((e) => expect(e[0]!.type === 'OrderCancelled' && e[0]!.data.invoiceMonth).toBe('2027-01'));
  });

  it('prorates a subscription credit by remaining whole days', () => {
    // 12 months from 2026-03-02 = 365 days; 3 whole days elapsed → 362/365 of 36,500 = 36,200.
    spec(history(purchase(T0, [{ sku: 'WS-SUB-1Y', quantity: 1 }]))).when(cancel(at(T0, 3 * D + 5 * H))).then((e) => {
      expect(e[0]!.type === 'OrderCancelled' && e[0]!.data.lines[0]!.credit).toEqual({ amount: 36_200, currency: 'USD' });
    });
  });

  it('cancels only the named lines, each with its own credit, and leaves the rest active', () => {
    const given = history(purchase(T0, [{ sku: 'WS-STD', quantity: 1 }, { sku: 'WS-SUB-1Y', quantity: 1 }]), reveal(T0), reveal(T0, { line: 2, keyId: 'key-2' }));
    const state = spec(given).when(cancel(T0, [2])).thenState();
    expect(state.status === 'placed' && state.lines.map((l) => l.status)).toEqual(['active', 'cancelled']);
    spec(given).when(cancel(T0, [2])).then((events) => {
      expect(events[0]!.type === 'OrderCancelled' && events[0]!.data.wholeOrder).toBe(false);
      expect(events[1]!.type === 'ProductKeysRevoked' && events[1]!.data.keys.map((k) => k.keyId)).toEqual(['key-2']);
    });
    // Then the rest of the order: the whole-order cancel takes what is still active.
    spec([...given, ...decideOrder(cancel(T0, [2]), stateOf(given), env)]).when(cancel(at(T0, H))).then((e) => {
      expect(e[0]!.type === 'OrderCancelled' && [e[0]!.data.lines.map((l) => l.line), e[0]!.data.wholeOrder]).toEqual([[1], true]);
    });
  });

  it('cancels nothing when any named line is refused', () => {
    const given = history(purchase(T0, [{ sku: 'WS-STD', quantity: 1 }, { sku: 'ESU', quantity: 1 }]));
    spec(given).when(cancel(T0, [1, 2])).thenThrows('conflict', 'refund_request_required', { line: 2 });
    spec(given).when(cancel(T0)).thenThrows('conflict', 'refund_request_required');
    spec(given).when(cancel(T0, [1])).then((e) => expect(e[0]!.type).toBe('OrderCancelled'));
  });

  it('refuses support-request and non-cancellable products with 409', () => {
    spec(history(purchase(T0, [{ sku: 'ESU', quantity: 1 }]))).when(cancel(T0)).thenThrows('conflict', 'refund_request_required');
    spec(history(purchase(T0, [{ sku: 'SLES', quantity: 1 }]))).when(cancel(T0)).thenThrows('conflict', 'not_cancellable');
  });

  it('refuses a cancelled order, a cancelled line, an unknown line and duplicates', () => {
    const cancelled = history(purchase(), cancel(T0));
    spec(cancelled).when(cancel(T0)).thenThrows('conflict', 'order_cancelled');
    spec(cancelled).when(cancel(T0, [1])).thenThrows('conflict', 'line_cancelled');
    spec(history(purchase())).when(cancel(T0, [3])).thenThrows('invalid', 'unknown_line', { field: 'lines' });
    spec(history(purchase())).when(cancel(T0, [1, 1])).thenThrows('invalid', 'invalid_lines');
    spec().when(cancel(T0)).thenThrows('not-found', 'order_not_found');
  });

  it('follows the policy recorded at purchase, not the table of today', () => {
    // Bought under the legacy policy: 45 days later a subscription is still cancellable.
    const bought = '2023-06-01T00:00:00.000Z';
    spec(history(purchase(bought, [{ sku: 'WS-SUB-1Y', quantity: 1 }]))).when(cancel(at(bought, 45 * D))).then((e) => expect(e[0]!.type).toBe('OrderCancelled'));
  });
});

describe('cancellationEligibility', () => {
  it('says 30 days right after a perpetual purchase and 7 after a subscription', () => {
    expect(cancellationEligibility(stateOf(history(purchase())), T0)).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 30 }));
    expect(cancellationEligibility(stateOf(history(purchase(T0, [{ sku: 'WS-SUB-1Y', quantity: 1 }]))), T0)).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 7 }));
  });

  it('rounds partial days up, and says 0 with a reason once closed', () => {
    const state = stateOf(history(purchase()));
    expect(cancellationEligibility(state, at(T0, 720 * H - 1)).daysRemaining).toBe(1);
    expect(cancellationEligibility(state, at(T0, 29 * D + 1)).daysRemaining).toBe(1);
    expect(cancellationEligibility(state, at(T0, 29 * D - 1)).daysRemaining).toBe(2);
    const closed = cancellationEligibility(state, at(T0, 720 * H));
    expect(closed).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0, reasonCode: 'cancellation_window_closed' }));
    expect(closed.reason).toEqual(expect.any(String));
  });

  it('takes the shortest window of a mixed order and explains refusals per line', () => {
    const state = stateOf(history(purchase(T0, [{ sku: 'WS-STD', quantity: 1 }, { sku: 'WS-SUB-1Y', quantity: 1 }])));
    expect(cancellationEligibility(state, T0).daysRemaining).toBe(7);
    const later = cancellationEligibility(state, at(T0, 8 * D));
    expect(later.eligible).toBe(false);
    expect(later.lines).toEqual([expect.objectContaining({ line: 1, eligible: true, daysRemaining: 22 }), expect.objectContaining({ line: 2, eligible: false, reasonCode: 'cancellation_window_closed' })]);
  });

  it('says why support-request, non-cancellable and cancelled orders cannot be cancelled', () => {
    expect(cancellationEligibility(stateOf(history(purchase(T0, [{ sku: 'ESU', quantity: 1 }]))), T0).reasonCode).toBe('refund_request_required');
    expect(cancellationEligibility(stateOf(history(purchase(T0, [{ sku: 'SLES', quantity: 1 }]))), T0).reasonCode).toBe('not_cancellable');
    expect(cancellationEligibility(stateOf(history(purchase(), cancel(T0))), T0)).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0, reasonCode: 'order_cancelled' }));
  });
});

describe('constant-time comparison of link token hashes', () => {
  it('matches equal strings only, whatever the lengths', async () => {
    const { constantTimeEqual } = await import('../shared/constant-time');
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('a'.repeat(64), 'a'.repeat(63) + 'b')).toBe(false);
  });
});
