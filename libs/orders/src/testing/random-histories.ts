import fc from 'fast-check';
import type { OrderCommand } from '../order.commands';
import { H, lineOf, purchase, T0 } from './orders';

/*
 * Random order histories for the property specs: a purchase, then steps some hours apart, each
 * turned into a command by the spec. Generated from a fixed seed, so that a run is reproducible.
 */

/** How long after the step before a step comes: at once, within `soonHours`, or within 40 days (past every cancellation window). */
export const advanceArb = (soonHours: number) => fc.oneof(fc.constant(0), fc.integer({ min: 0, max: soonHours }), fc.integer({ min: 0, max: 24 * 40 }));

/** A cancellation of the whole order, or of 1 to 3 distinct lines among 1 to `maxLine` (some beyond the order's). */
export const cancelStepArb = (maxLine: number) =>
  fc.record({
    kind: fc.constant('cancel' as const),
    lines: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: maxLine }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  });

/** A step of a history at its decision instant. */
export interface TimedStep<Step> {
  readonly now: string;
  readonly step: Step;
}

/**
 * Checks `check` on 300 random histories (from `seed`): the purchase, at T0, of one line of each of
 * 1 to 3 distinct `skus`, and the `steps` after it, each `advanceHours` after the one before.
 * Answers how many histories were checked.
 */
export function forRandomHistories<Step>(
  options: { readonly skus: readonly string[]; readonly steps: fc.Arbitrary<{ advanceHours: number; step: Step }[]>; readonly seed: number },
  check: (bought: OrderCommand, steps: readonly TimedStep<Step>[]) => void,
): number {
  let runs = 0;
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom(...options.skus), { minLength: 1, maxLength: 3 }), options.steps, (skus, steps) => {
      runs++;
      let now = Date.parse(T0);
      const timed = steps.map(({ advanceHours, step }) => ({ now: new Date((now += advanceHours * H)).toISOString(), step }));
      check(
        purchase(
          T0,
          skus.map((sku) => lineOf(sku)),
        ),
        timed,
      );
    }),
    { numRuns: 300, seed: options.seed },
  );
  return runs;
}
