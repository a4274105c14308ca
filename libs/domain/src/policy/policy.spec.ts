import { DomainError } from '../shared/errors';
import { policies } from '../testing/fixtures';
import { addMonthsUtc, invoiceMonthAfter, roundHalfUpRatio, subscriptionCredit, termDays } from './credit';
import { parsePolicyTable, policyInForce } from './policy-table';
import { cancellationDeadline, daysRemaining, isWithinWindow } from './window';

const ms = (iso: string) => Date.parse(iso);
const D = 86_400_000;
const H = 3_600_000;

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

  it.each([
    [{ effectiveFrom: '2023-06-30' }, /effectiveFrom/],
    [{ effectiveFrom: '2023-06-30T00:00:00' }, /effectiveFrom/],
    [{ effectiveFrom: '2023-02-30T00:00:00.000Z' }, /effectiveFrom/],
    [{ id: '' }, /id/],
    [{ perpetual: { windowHours: -24, credit: 'full' } }, /perpetual.windowHours/],
    [{ perpetual: { windowHours: 1.5, credit: 'full' } }, /perpetual.windowHours/],
    [{ subscription: { windowHours: '168', credit: 'prorated' } }, /subscription.windowHours/],
    [{ perpetual: { windowHours: 720, credit: 'prorated' } }, /perpetual.credit/],
    [{ subscription: undefined }, /subscription.windowHours/],
  ])('refuses an entry with %p, naming the entry and the field', (change, message) => {
    expect(() => parsePolicyTable({ policies: [{ ...policies[0], ...change }] })).toThrow(message);
    expect(() => parsePolicyTable({ policies: [{ ...policies[0], ...change }] })).toThrow(/entry 0/);
  });

  it('refuses a file without a list and two entries taking effect at the same instant', () => {
    expect(() => parsePolicyTable({})).toThrow(/policies/);
    expect(() => parsePolicyTable(null)).toThrow(/policies/);
    expect(() => parsePolicyTable({ policies: [policies[1], { ...policies[1], id: 'other' }] })).toThrow(/same instant/);
  });

  it('normalises effective dates to UTC with milliseconds and keeps descriptions', () => {
    const [entry] = parsePolicyTable({ policies: [{ ...policies[1], effectiveFrom: '2023-06-30T02:00:00+02:00', description: 'current' }] });
    expect(entry).toEqual({ ...policies[1], effectiveFrom: '2023-06-30T00:00:00.000Z', description: 'current' });
  });

  it('does not depend on the order of a table it is given', () => {
    expect(policyInForce([...policies].reverse(), '2024-01-01T00:00:00.000Z').id).toBe('csp-2023-06-30');
    expect(policyInForce([...policies].reverse(), '2023-01-01T00:00:00.000Z').id).toBe('csp-legacy-60-days');
  });

  it('refuses an instant before every entry, and an instant that is not one', () => {
    expect(() => policyInForce([policies[1]!], '2020-01-01T00:00:00.000Z')).toThrow(/No cancellation policy/);
    expect(() => policyInForce(policies, 'today')).toThrow(DomainError);
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

  it.each([
    ['legacy perpetual and subscription: 60 days', 1440, '2023-06-29T23:59:59.999Z', '2023-08-28T23:59:59.999Z'],
    ['current perpetual: 30 days', 720, '2023-06-30T00:00:00.000Z', '2023-07-30T00:00:00.000Z'],
    ['current subscription: 7 days', 168, '2023-06-30T00:00:00.000Z', '2023-07-07T00:00:00.000Z'],
  ])('%s', (_name, hours, bought, deadline) => {
    expect(new Date(cancellationDeadline(ms(bought), hours)).toISOString()).toBe(deadline);
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
    expect(roundHalfUpRatio(5n, 2n)).toBe(3); // 2.5 → 3
    expect(roundHalfUpRatio(7n, 2n)).toBe(4); // 3.5 → 4
    expect(roundHalfUpRatio(249n, 100n)).toBe(2);
    expect(roundHalfUpRatio(250n, 100n)).toBe(3);
    // A real half needs remaining/term = k/2: in a 366-day term, 183 days left is exactly one half.
    const leapTerm = ms('2023-03-01T00:00:00.000Z');
    expect(termDays(leapTerm, 12)).toBe(366);
    expect(subscriptionCredit(1, 12, leapTerm, leapTerm + 183 * D)).toBe(1); // 0.5 → 1
    expect(subscriptionCredit(3, 12, leapTerm, leapTerm + 183 * D)).toBe(2); // 1.5 → 2
    expect(subscriptionCredit(12_345, 12, leapTerm, leapTerm + 183 * D)).toBe(6_173); // 6,172.5 → 6,173
    expect(subscriptionCredit(1, 12, leapTerm, leapTerm + 184 * D)).toBe(0); // 182/366 < 0.5 → 0
  });

  it('stays exact for amounts where floating point would not', () => {
    const amount = 9_007_199_254_740; // × 365 exceeds 2^53
    expect(subscriptionCredit(amount, 12, bought, bought + D)).toBe(Number((BigInt(amount) * 364n * 2n + 365n) / 730n));
  });

  it('is nothing once the whole term has elapsed, and the whole amount for a cancellation dated before purchase', () => {
    expect(subscriptionCredit(36_500, 12, bought, bought + 365 * D)).toBe(0);
    expect(subscriptionCredit(36_500, 12, bought, bought + 400 * D)).toBe(0);
    expect(subscriptionCredit(36_500, 12, bought, bought - H)).toBe(36_500);
  });

  it('differs between a term over February 2024 and one over February 2025', () => {
    // Same amount, same 10 days elapsed: 366-day term vs 365-day term.
    const overLeap = ms('2023-12-01T00:00:00.000Z');
    const overCommon = ms('2024-12-01T00:00:00.000Z');
    expect(termDays(overLeap, 12)).toBe(366);
    expect(termDays(overCommon, 12)).toBe(365);
    expect(subscriptionCredit(100_000, 12, overLeap, overLeap + 10 * D)).toBe(97_268); // 100,000 × 356/366 = 97,267.76
    expect(subscriptionCredit(100_000, 12, overCommon, overCommon + 10 * D)).toBe(97_260); // 100,000 × 355/365 = 97,260.27
  });

  it('prorates a 36-month term over the leap day it spans', () => {
    const start = ms('2027-03-01T00:00:00.000Z'); // spans 2028-02-29
    expect(termDays(start, 36)).toBe(1096);
    expect(subscriptionCredit(109_600, 36, start, start + 6 * D)).toBe(109_000); // 109,600 × 1,090/1,096
  });

  it('prorates over 366 days in a leap term', () => {
    const leap = ms('2023-03-01T00:00:00.000Z');
    expect(subscriptionCredit(36_600, 12, leap, leap + 2 * D)).toBe(36_400);
  });
});

describe('invoice month', () => {
  it('is the calendar month after the cancellation, UTC', () => {
    expect(invoiceMonthAfter(ms('2026-12-15T12:00:00.000Z'))).toBe('2027-01');
    expect(invoiceMonthAfter(ms('2026-01-31T12:00:00.000Z'))).toBe('2026-02');
    expect(invoiceMonthAfter(ms('2026-03-02T10:00:00.000Z'))).toBe('2026-04');
    expect(invoiceMonthAfter(ms('2026-03-31T23:59:59.999Z'))).toBe('2026-04');
    expect(invoiceMonthAfter(ms('2026-12-31T23:00:00.000Z'))).toBe('2027-01');
    expect(invoiceMonthAfter(ms('2026-04-01T00:30:00+02:00'))).toBe('2026-04'); // still 31 March in UTC
  });
});
