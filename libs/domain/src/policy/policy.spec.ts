import { policies } from '../testing/fixtures';
import { addMonthsUtc, invoiceMonthAfter, roundHalfUpRatio, subscriptionCredit, termDays } from './credit';
import { parsePolicyTable, policyInForce } from './policy-table';
import { cancellationDeadline, daysRemaining, isWithinWindow } from './window';

const ms = (iso: string) => Date.parse(iso);
const D = 86_400_000;

describe('the effective-dated policy table', () => {
  it('picks the entry in force at the purchase instant', () => {
    expect(policyInForce(policies, '2023-06-29T23:59:59.999Z').id).toBe('csp-legacy-60-days');
    expect(policyInForce(policies, '2023-06-30T00:00:00.000Z').id).toBe('csp-2023-06-30');
    expect(policyInForce(policies, '2030-01-01T00:00:00.000Z').id).toBe('csp-2023-06-30');
  });

  it('validates the file and sorts entries by effective date', () => {
    const table = parsePolicyTable({ policies: [...policies].reverse() });
    expect(table.map((p) => p.id)).toEqual(['csp-legacy-60-days', 'csp-2023-06-30']);
    expect(() => parsePolicyTable({ policies: [] })).toThrow(/empty/);
    expect(() => parsePolicyTable({ policies: [{ ...policies[0], effectiveFrom: 'soon' }] })).toThrow(/effectiveFrom/);
    expect(() => parsePolicyTable({ policies: [{ ...policies[0], perpetual: { windowHours: 0, credit: 'full' } }] })).toThrow(/windowHours/);
    expect(() => parsePolicyTable({ policies: [policies[0], policies[0]] })).toThrow(/twice/);
    expect(() => parsePolicyTable({ policies: [{ ...policies[0], subscription: { windowHours: 10, credit: 'full' } }] })).toThrow(/prorated/);
  });

  it('refuses an instant before every entry', () => {
    expect(() => policyInForce([policies[1]!], '2020-01-01T00:00:00.000Z')).toThrow(/No cancellation policy/);
  });
});

describe('windows', () => {
  it('close exactly windowHours after purchase and are closed at that instant', () => {
    const bought = ms('2026-03-02T10:00:00.000Z');
    const deadline = cancellationDeadline(bought, 168);
    expect(new Date(deadline).toISOString()).toBe('2026-03-09T10:00:00.000Z');
    expect(isWithinWindow(deadline - 1, deadline)).toBe(true);
    expect(isWithinWindow(deadline, deadline)).toBe(false);
  });

  it('count whole days left rounded up, 0 once closed', () => {
    const deadline = ms('2026-04-01T10:00:00.000Z');
    expect(daysRemaining(deadline - 30 * D, deadline)).toBe(30);
    expect(daysRemaining(deadline - 30 * D + 1, deadline)).toBe(30);
    expect(daysRemaining(deadline - 1, deadline)).toBe(1);
    expect(daysRemaining(deadline, deadline)).toBe(0);
    expect(daysRemaining(deadline + D, deadline)).toBe(0);
  });
});

describe('term days', () => {
  it('are 365 or 366 for 12 months depending on 29 February', () => {
    expect(termDays(ms('2025-03-01T00:00:00.000Z'), 12)).toBe(365);
    expect(termDays(ms('2023-03-01T00:00:00.000Z'), 12)).toBe(366); // spans 2024-02-29
    expect(termDays(ms('2024-02-28T12:00:00.000Z'), 12)).toBe(366);
    expect(termDays(ms('2024-03-01T00:00:00.000Z'), 12)).toBe(365);
    expect(termDays(ms('2026-03-02T10:00:00.000Z'), 36)).toBe(1096); // spans 2028-02-29
    expect(termDays(ms('2025-01-01T00:00:00.000Z'), 36)).toBe(1095);
  });

  it('clamp a month end: 29 February plus 12 months is 28 February', () => {
    expect(new Date(addMonthsUtc(ms('2024-02-29T08:00:00.000Z'), 12)).toISOString()).toBe('2025-02-28T08:00:00.000Z');
    expect(new Date(addMonthsUtc(ms('2026-01-31T00:00:00.000Z'), 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(termDays(ms('2024-02-29T08:00:00.000Z'), 12)).toBe(365);
  });
});

describe('subscription credit', () => {
  const bought = ms('2025-03-01T00:00:00.000Z'); // 365-day term

  it('is the whole amount before a whole day has elapsed', () => {
    expect(subscriptionCredit(36_500, 12, bought, bought + D - 1)).toBe(36_500);
  });

  it('removes one 365th per whole elapsed day', () => {
    expect(subscriptionCredit(36_500, 12, bought, bought + D)).toBe(36_400);
    expect(subscriptionCredit(36_500, 12, bought, bought + 6 * D + 23 * 3_600_000)).toBe(36_500 - 600);
  });

  it('rounds half up, exactly', () => {
    // 730 × 364 / 365 = 728 exactly; 1 × 364/365 → 0.997 → 1; 365 × 182.5 case: amount 1, term 2 days.
    expect(roundHalfUpRatio(5n, 2n)).toBe(3); // 2.5 → 3
    expect(roundHalfUpRatio(7n, 2n)).toBe(4); // 3.5 → 4
    expect(roundHalfUpRatio(249n, 100n)).toBe(2);
    expect(roundHalfUpRatio(250n, 100n)).toBe(3);
    // 50 × 363 / 365 = 49.726 → 50; 73 × 5 / 730… a real half: amount 146, 365-day term, 182.5 days remaining is impossible,
    // so use a 366-day term: 183 × 1 / 366 = 0.5 → 1.
    const leapTerm = ms('2023-03-01T00:00:00.000Z');
    expect(termDays(leapTerm, 12)).toBe(366);
    expect(subscriptionCredit(1, 12, leapTerm, leapTerm + 183 * D)).toBe(1); // 1 × 183/366 = 0.5 → 1
    expect(subscriptionCredit(3, 12, leapTerm, leapTerm + 183 * D)).toBe(2); // 1.5 → 2
    expect(subscriptionCredit(1, 12, leapTerm, leapTerm + 184 * D)).toBe(0); // 182/366 < 0.5 → 0
  });

  it('stays exact for amounts where floating point would not', () => {
    const amount = 9_007_199_254_740; // × 365 exceeds 2^53
    expect(subscriptionCredit(amount, 12, bought, bought + D)).toBe(Number((BigInt(amount) * 364n * 2n + 365n) / 730n));
  });

  it('prorates over 366 days in a leap term', () => {
    const leap = ms('2023-03-01T00:00:00.000Z');
    expect(subscriptionCredit(36_600, 12, leap, leap + 2 * D)).toBe(36_400);
  });
});

describe('invoice month', () => {
  it('is the calendar month after the cancellation, UTC', () => {
    expect(invoiceMonthAfter(ms('2026-03-02T10:00:00.000Z'))).toBe('2026-04');
    expect(invoiceMonthAfter(ms('2026-03-31T23:59:59.999Z'))).toBe('2026-04');
    expect(invoiceMonthAfter(ms('2026-12-31T23:00:00.000Z'))).toBe('2027-01');
    expect(invoiceMonthAfter(ms('2026-04-01T00:30:00+02:00'))).toBe('2026-04'); // still 31 March in UTC
  });
});
