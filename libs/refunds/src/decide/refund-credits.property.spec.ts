import fc from 'fast-check';
import { DomainError, parseCatalog } from '@csp/domain';
import type { CreditIssued, OrderEnvironment } from '@csp/orders';
import { catalog, policies } from '../../../domain/src/testing/fixtures';
import { cancel } from '../../../orders/src/testing/orders';
import { advanceArb, cancelStepArb, forRandomHistories } from '../../../orders/src/testing/random-histories';
import {
  approveRefund,
  decideOrderOrRefund,
  evolveOrderAndRefunds,
  initialOrderAndRefunds,
  rejectRefund,
  submitRefund,
  type OrderAndRefunds,
  type OrderOrRefundCommand,
  type OrderOrRefundEvent,
} from '../testing/refunds';

// The fixture catalog plus SKUs priced in euros, so that some orders are paid in two currencies.
const euros = parseCatalog(
  {
    items: [
      {
        sku: 'WS-STD-EUR',
        family: 'Windows Server',
        name: 'WS-STD-EUR',
        licenseType: 'perpetual',
        unitPrice: { amount: 91_000, currency: 'EUR' },
        versions: ['2025'],
        languages: ['en-us'],
        fileTypes: ['x64'],
        downgradeDepth: 0,
        cancellationClass: 'standard',
      },
      {
        sku: 'ESU-EUR',
        family: 'Windows',
        name: 'ESU-EUR',
        licenseType: 'subscription',
        termMonths: 12,
        unitPrice: { amount: 45_000, currency: 'EUR' },
        versions: ['7'],
        languages: ['en-us'],
        fileTypes: ['x64'],
        downgradeDepth: 0,
        cancellationClass: 'support-request',
      },
    ],
  },
  [],
);
const mixed: OrderEnvironment = { policies, catalog: { items: [...catalog.items, ...euros.items], find: (sku) => catalog.find(sku) ?? euros.find(sku) } };
const SKUS = ['WS-STD', 'WS-SUB-1Y', 'ESU', 'OFFICE-PP', 'WS-STD-EUR', 'ESU-EUR'];

type Step =
  | { kind: 'submit'; amount: number; currency?: string; withOrder: boolean }
  | { kind: 'approve'; request: number; amount?: number }
  | { kind: 'reject'; request: number }
  | { kind: 'cancel'; lines?: number[] };

const amountArb = fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom(1, 36_500, 57_400, 100_000, 107_900, 1_294_800));
const stepArb: fc.Arbitrary<{ advanceHours: number; step: Step }> = fc.record({
  advanceHours: advanceArb(48),
  step: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('submit' as const),
        amount: amountArb,
        currency: fc.option(fc.constantFrom('USD', 'EUR', 'JPY'), { nil: undefined }),
        withOrder: fc.boolean(),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('approve' as const),
        request: fc.integer({ min: 0, max: 20 }),
        amount: fc.option(amountArb, { nil: undefined }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), request: fc.integer({ min: 0, max: 20 }) }) },
    { weight: 2, arbitrary: cancelStepArb(3) },
  ) as fc.Arbitrary<Step>,
});

/** `requests`: the ids submitted so far; a decision names one of them (or, past the end, one that does not exist). */
function command(step: Step, now: string, i: number, requests: readonly string[]): OrderOrRefundCommand {
  const pick = (n: number) => (n === 0 || requests.length === 0 ? 'r-unknown' : requests[n % requests.length]!);
  switch (step.kind) {
    case 'submit':
      return submitRefund(`r-${i}`, now, {
        amountRequested: { amount: step.amount, ...(step.currency ? { currency: step.currency } : {}) },
        ...(step.withOrder ? {} : { orderId: undefined, subscriptionId: `sub-${i}` }),
      });
    case 'approve':
      return approveRefund(pick(step.request), now, step.amount);
    case 'reject':
      return rejectRefund(pick(step.request), now);
    case 'cancel':
      return cancel(now, step.lines);
  }
}

describe('order credits under random purchases, cancellations, refund submissions and decisions (fast-check)', () => {
  it('never exceed what the order was paid, never in another currency; a request without an order never beyond its amount', () => {
    let credited = 0;
    let refusedOverCredit = 0;
    const runs = forRandomHistories({ skus: SKUS, steps: fc.array(stepArb, { minLength: 5, maxLength: 50 }), seed: 20261212 }, (purchase, steps) => {
      let state: OrderAndRefunds = initialOrderAndRefunds;
      const decide = (c: OrderOrRefundCommand) => decideOrderOrRefund(c, state, mixed);
      const apply = (events: OrderOrRefundEvent[]) => (state = events.reduce(evolveOrderAndRefunds, state));
      apply(decide(purchase));
      const paid = new Map<string, number>();
      if (state.order.status === 'placed') for (const line of state.order.lines) paid.set(line.currency, (paid.get(line.currency) ?? 0) + line.amount);
      const orderCredits = new Map<string, number>();
      for (const [i, { now, step }] of steps.entries()) {
        let events: OrderOrRefundEvent[] = [];
        try {
          events = decide(command(step, now, i, [...state.requests.keys()]));
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          if ((error as DomainError).code === 'credit_exceeds_order') refusedOverCredit++;
        }
        for (const e of events.filter((x): x is CreditIssued => x.type === 'CreditIssued')) {
          credited++;
          expect(e.data.amount).toBeGreaterThan(0);
          if (e.data.orderId !== undefined) {
            // Never in a currency the order was not paid in, and never, in total, more than it was paid.
            expect(paid.has(e.data.currency)).toBe(true);
            orderCredits.set(e.data.currency, (orderCredits.get(e.data.currency) ?? 0) + e.data.amount);
            expect(orderCredits.get(e.data.currency)).toBeLessThanOrEqual(paid.get(e.data.currency)!);
          } else {
            // A request without an order: at most what it asked for, in what it asked for.
            const request = state.requests.get(e.data.creditId)!;
            expect(
              request.status !== 'none' &&
                e.data.amount <= request.request.amountRequested.amount &&
                e.data.currency === request.request.amountRequested.currency,
            ).toBe(true);
          }
        }
        apply(events);
        // The order's own account of its credits is the one the decisions used.
        if (state.order.status === 'placed') expect([...state.order.credited].filter(([, v]) => v > 0).sort()).toEqual([...orderCredits].sort());
      }
    });
    console.log(
      `refund credit property: ${runs} random histories, ${credited} credits issued, ${refusedOverCredit} approvals refused as over the order, 0 over-credits`,
    );
    expect(refusedOverCredit).toBeGreaterThan(0);
  });
});
