import fc from 'fast-check';
import { HOUR_MS, orderStreamId } from '@csp/domain';
import { cancellationEligibility, evolveOrder, initialOrderState, type LineEligibility, type OrderEvent } from '..';
import type { RecordedEvent } from '@csp/event-store';
import { applyBatch } from '../../../projections/src/runner/apply-batch';
import { MemoryReadModelStore } from '../../../projections/src/stores/memory-store';
import { Scenario, type TestCustomer } from '../../../projections/src/testing/scenario';
import { PROJECTIONS } from '../../../projections/src/testing/product-projections';
import { SoftwareListQueries } from './software-list.queries';

/*
 * The eligibility route (GET /v1/orders/{id}/cancellation-eligibility: cancellationEligibility on
 * the order's stream) and the software list (GET /v1/customers/{id}/software: each line's
 * `cancellation`, from the software-list read model) answer the same for every line, of every
 * cancellation class, at every instant: eligible, days remaining, reason (and its code), deadline.
 */

const DAY = 24 * HOUR_MS;
const T0 = '2026-03-02T10:00:00.000Z';
const t0 = Date.parse(T0);
const at = (ms: number) => new Date(t0 + ms).toISOString();
const customer: TestCustomer = {
  customerId: 'cccccccc-0000-4000-8000-0000000000a1',
  tenantId: 'bbbbbbbb-0000-4000-8000-0000000000a1',
  partnerTenantId: 'aaaaaaaa-0000-4000-8000-0000000000a1',
  market: 'FR',
};
const order = (n: number) => `dddddddd-0000-4000-8000-0000000000a${n}`;
const everyClass = [
  { sku: 'WS', quantity: 1 }, // standard perpetual: 30 days (720 h)
  { sku: 'SQL-SUB', quantity: 1 }, // standard subscription: 7 days (168 h)
  { sku: 'ESU', quantity: 1 }, // support-request
  { sku: 'SLES', quantity: 1 }, // non-cancellable
];

/** Orders with a line of every class, left alone, cancelled in part, cancelled whole, and cancelled late. */
function history(): RecordedEvent[] {
  const s = new Scenario();
  s.register({ ...customer, name: 'Agreement' }, at(-DAY));
  s.order({ type: 'PurchaseSoftware', data: { orderId: order(1), customer, lines: everyClass } }, T0);
  s.order({ type: 'PurchaseSoftware', data: { orderId: order(2), customer, lines: everyClass } }, T0);
  s.order({ type: 'PurchaseSoftware', data: { orderId: order(3), customer, lines: everyClass.slice(0, 2) } }, at(1));
  s.order({ type: 'PurchaseSoftware', data: { orderId: order(4), customer, lines: everyClass.slice(0, 2) } }, at(HOUR_MS));
  s.order({ type: 'CancelOrder', data: { orderId: order(2), reason: 'one line only', lines: [2] } }, at(HOUR_MS));
  s.order({ type: 'CancelOrder', data: { orderId: order(3), reason: 'all of it' } }, at(2 * HOUR_MS));
  // After the subscription's window closed: the perpetual line alone.
  s.order({ type: 'CancelOrder', data: { orderId: order(4), reason: 'late', lines: [1] } }, at(200 * HOUR_MS));
  return s.log;
}

const log = history();

/** Both answers for every line of the customer's orders at `nowMs`, from the history up to then. */
async function answersAt(nowMs: number): Promise<{ route: Omit<LineEligibility, 'line'>[]; softwareList: unknown[] }> {
  const now = new Date(nowMs);
  const past = log.filter((e) => Date.parse(e.recordedAt) <= nowMs);
  const store = new MemoryReadModelStore();
  for (const projection of PROJECTIONS) await applyBatch(projection, store, { model: projection.name, generation: 1 }, past, { expectedCheckpoint: undefined });
  const { items } = await new SoftwareListQueries(store).softwareList(customer.customerId, now);
  // The orders bought by then, in the software list's order (purchase instant, then id).
  const bought = past
    .filter((e) => e.type === 'SoftwarePurchased')
    .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.streamId < b.streamId ? -1 : 1));
  const route = bought
    .map((e) => (e.data as { orderId: string }).orderId)
    .flatMap((orderId) => {
      const state = past.filter((e) => e.streamId === orderStreamId(orderId)).reduce((s, e) => evolveOrder(s, e as unknown as OrderEvent), initialOrderState);
      return cancellationEligibility(state, now.toISOString()).lines.map(({ line: _line, ...answer }) => answer);
    });
  return { route, softwareList: items.map((i) => i.cancellation) };
}

/** Every instant where an answer may change, and either side of it: purchases, cancellations, each whole day, each window's end. */
const boundaries = [
  ...[0, HOUR_MS, 2 * HOUR_MS, 200 * HOUR_MS, 168 * HOUR_MS, 169 * HOUR_MS, 720 * HOUR_MS, 721 * HOUR_MS, 1000 * HOUR_MS],
  ...Array.from({ length: 32 }, (_, k) => k * DAY),
  ...Array.from({ length: 32 }, (_, k) => k * DAY + HOUR_MS),
].flatMap((ms) => [ms - 1, ms, ms + 1].filter((x) => x >= 1));

describe('cancellation eligibility: the eligibility route and the software list', () => {
  it.each(boundaries)('agree on every line at T0 + %d ms', async (offset) => {
    const { route, softwareList } = await answersAt(t0 + offset);
    expect(softwareList.length).toBeGreaterThanOrEqual(10);
    expect(softwareList).toStrictEqual(route);
  });

  it('agree at any instant in the first 40 days', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 * DAY }), async (offset) => {
        const { route, softwareList } = await answersAt(t0 + offset);
        expect(softwareList).toStrictEqual(route);
      }),
      { numRuns: 60 },
    );
  });

  it('cover every answer: eligible, cancelled, refund request, not cancellable, window closed', async () => {
    const seen = new Set<string>();
    for (const offset of boundaries) for (const answer of (await answersAt(t0 + offset)).route) seen.add(answer.reasonCode ?? 'eligible');
    expect([...seen].sort()).toEqual(['cancellation_window_closed', 'eligible', 'line_cancelled', 'not_cancellable', 'refund_request_required']);
  });

  it('show a deadline only for a standard line, the only class with a window, cancelled or not', async () => {
    const { softwareList } = await answersAt(t0 + 169 * HOUR_MS);
    expect(softwareList.slice(0, 8)).toStrictEqual([
      { eligible: true, daysRemaining: 23, deadline: '2026-04-01T10:00:00.000Z' },
      {
        eligible: false,
        daysRemaining: 0,
        deadline: '2026-03-09T10:00:00.000Z',
        reason: 'The cancellation window of line 2 closed at 2026-03-09T10:00:00.000Z',
        reasonCode: 'cancellation_window_closed',
      },
      {
        eligible: false,
        daysRemaining: 0,
        reason: 'ESU name cannot be cancelled directly: file a refund request instead',
        reasonCode: 'refund_request_required',
      },
      { eligible: false, daysRemaining: 0, reason: 'SLES name can be neither cancelled nor exchanged', reasonCode: 'not_cancellable' },
      { eligible: true, daysRemaining: 23, deadline: '2026-04-01T10:00:00.000Z' },
      { eligible: false, daysRemaining: 0, deadline: '2026-03-09T10:00:00.000Z', reason: 'Line 2 is already cancelled', reasonCode: 'line_cancelled' },
      {
        eligible: false,
        daysRemaining: 0,
        reason: 'ESU name cannot be cancelled directly: file a refund request instead',
        reasonCode: 'refund_request_required',
      },
      { eligible: false, daysRemaining: 0, reason: 'SLES name can be neither cancelled nor exchanged', reasonCode: 'not_cancellable' },
    ]);
  });
});
