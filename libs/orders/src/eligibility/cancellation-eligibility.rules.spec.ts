import fc from 'fast-check';
import { env } from '../../../domain/src/testing/fixtures';
import { at, cancel, D, H, history, historyAfter, purchase, stateOf, T0 } from '../testing/orders';
import type { DomainError } from '@csp/domain';
import { decideOrder } from '../order.decide';
import { cancellationEligibility } from './cancellation-eligibility.rules';
import { initialOrderState } from '../order.state';

const eligibilityAt = (events: Parameters<typeof stateOf>[0], now: string) => cancellationEligibility(stateOf(events), now);

describe('cancellationEligibility', () => {
  it('says 30 days right after a perpetual purchase and 7 after a subscription (current policy)', () => {
    expect(eligibilityAt(history(purchase()), T0)).toEqual({
      eligible: true,
      daysRemaining: 30,
      lines: [{ line: 1, eligible: true, daysRemaining: 30, deadline: '2026-04-01T10:00:00.000Z' }],
    });
    expect(eligibilityAt(history(purchase(T0, [{ sku: 'WS-SUB-1Y', quantity: 1 }])), T0)).toEqual(
      expect.objectContaining({ eligible: true, daysRemaining: 7, lines: [expect.objectContaining({ deadline: '2026-03-09T10:00:00.000Z' })] }),
    );
  });

  it('says 60 days right after a purchase under the legacy policy', () => {
    const bought = '2023-06-29T23:59:59.999Z';
    expect(eligibilityAt(history(purchase(bought, [{ sku: 'WS-SUB-1Y', quantity: 1 }])), bought).daysRemaining).toBe(60);
  });

  it('rounds partial days up: 1 in the last day, 0 with a reason once closed', () => {
    const past = history(purchase());
    expect(eligibilityAt(past, at(T0, 29 * D - 1)).daysRemaining).toBe(2);
    expect(eligibilityAt(past, at(T0, 29 * D)).daysRemaining).toBe(1);
    expect(eligibilityAt(past, at(T0, 720 * H - 1)).daysRemaining).toBe(1);
    const closed = eligibilityAt(past, at(T0, 720 * H));
    expect(closed).toEqual(
      expect.objectContaining({ eligible: false, daysRemaining: 0, reasonCode: 'cancellation_window_closed', reason: expect.stringContaining('closed') }),
    );
  });

  it('takes the shortest window of a mixed order and explains each line', () => {
    const past = history(
      purchase(T0, [
        { sku: 'WS-STD', quantity: 1 },
        { sku: 'WS-SUB-1Y', quantity: 1 },
      ]),
    );
    expect(eligibilityAt(past, T0).daysRemaining).toBe(7);
    const later = eligibilityAt(past, at(T0, 8 * D));
    expect(later).toEqual(expect.objectContaining({ eligible: false, daysRemaining: 0, reasonCode: 'cancellation_window_closed' }));
    expect(later.lines).toEqual([
      { line: 1, eligible: true, daysRemaining: 22, deadline: '2026-04-01T10:00:00.000Z' },
      {
        line: 2,
        eligible: false,
        daysRemaining: 0,
        deadline: '2026-03-09T10:00:00.000Z',
        reasonCode: 'cancellation_window_closed',
        reason: expect.any(String),
      },
    ]);
  });

  it('looks only at the lines still active after a partial cancellation', () => {
    const past = historyAfter(
      history(
        purchase(T0, [
          { sku: 'WS-STD', quantity: 1 },
          { sku: 'WS-SUB-1Y', quantity: 1 },
        ]),
      ),
      cancel(T0, [2]),
    );
    const eligibility = eligibilityAt(past, at(T0, 8 * D));
    expect(eligibility).toEqual(expect.objectContaining({ eligible: true, daysRemaining: 22 }));
    expect(eligibility.lines[1]).toEqual(expect.objectContaining({ eligible: false, reasonCode: 'line_cancelled' }));
  });

  it('says why support-request, non-cancellable and cancelled orders cannot be cancelled', () => {
    const esu = eligibilityAt(history(purchase(T0, [{ sku: 'ESU', quantity: 1 }])), T0);
    expect(esu).toEqual(
      expect.objectContaining({ eligible: false, daysRemaining: 0, reasonCode: 'refund_request_required', reason: expect.stringMatching(/refund request/) }),
    );
    expect(esu.lines[0]).not.toHaveProperty('deadline');
    expect(eligibilityAt(history(purchase(T0, [{ sku: 'SLES', quantity: 1 }])), T0).reasonCode).toBe('not_cancellable');
    expect(eligibilityAt(history(purchase(), cancel(T0)), T0)).toEqual(
      expect.objectContaining({ eligible: false, daysRemaining: 0, reasonCode: 'order_cancelled' }),
    );
  });

  it('answers for an order that does not exist without throwing', () => {
    expect(cancellationEligibility(initialOrderState, T0)).toEqual({
      eligible: false,
      daysRemaining: 0,
      reason: 'No such order',
      reasonCode: 'order_not_found',
      lines: [],
    });
  });

  it('always agrees with what a whole-order CancelOrder would decide at the same instant', () => {
    const skus = ['WS-STD', 'WS-SUB-1Y', 'WS-SUB-3Y', 'ESU', 'SLES'];
    fc.assert(
      fc.property(
        fc.constantFrom('2023-06-29T23:59:59.999Z', '2023-06-30T00:00:00.000Z', T0),
        fc.uniqueArray(fc.constantFrom(...skus), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 70 * 24 }),
        fc.integer({ min: -1, max: 1 }),
        (bought, lines, hours, nudgeMs) => {
          const state = stateOf(
            history(
              purchase(
                bought,
                lines.map((sku) => ({ sku, quantity: 1 })),
              ),
            ),
          );
          const now = at(bought, hours * H + nudgeMs);
          const eligibility = cancellationEligibility(state, now);
          let refusal: DomainError | undefined;
          try {
            decideOrder(cancel(now), state, env);
          } catch (e) {
            refusal = e as DomainError;
          }
          expect(eligibility.eligible).toBe(refusal === undefined);
          expect(eligibility.reasonCode).toBe(refusal?.code);
          if (!eligibility.eligible) expect(eligibility.daysRemaining).toBe(0);
        },
      ),
    );
  });
});
