import fc from 'fast-check';
import { DomainError } from '@csp/domain';
import { env } from '../../domain/src/testing/fixtures';
import type { OrderCommand } from './order.commands';
import { decideOrder } from './order.decide';
import type { OrderEvent } from './order.events';
import { evolveOrder, initialOrderState, type OrderState } from './order.state';
import { cancel, download, issue, reveal } from './testing/orders';
import { advanceArb, cancelStepArb, forRandomHistories } from './testing/random-histories';

const SKUS = ['WS-STD', 'WS-SUB-1Y', 'WS-SUB-3Y', 'ESU', 'SLES'];

type Step =
  | { kind: 'reveal'; line: number; version: string; language: string; keyType?: string }
  | { kind: 'link'; line: number; version: string }
  | { kind: 'download'; link: number }
  | { kind: 'cancel'; lines?: number[] };

const stepArb: fc.Arbitrary<{ advanceHours: number; step: Step }> = fc.record({
  advanceHours: advanceArb(24),
  step: fc.oneof(
    fc.record({
      kind: fc.constant('reveal' as const),
      line: fc.integer({ min: 0, max: 4 }),
      version: fc.constantFrom('2025', '2022', '2019', '2016', 'x'),
      language: fc.constantFrom('en-us', 'fr-fr', 'xx'),
      keyType: fc.option(fc.constantFrom('MAK', 'KMS', 'retail'), { nil: undefined }),
    }),
    fc.record({ kind: fc.constant('link' as const), line: fc.integer({ min: 1, max: 3 }), version: fc.constantFrom('2025', '2019') }),
    fc.record({ kind: fc.constant('download' as const), link: fc.integer({ min: 0, max: 5 }) }),
    cancelStepArb(4),
  ) as fc.Arbitrary<Step>,
});

/** The command of step `i`: a key or link it creates is named after `i`, and a download names the link of the step it points at. */
function command(step: Step, now: string, i: number): OrderCommand {
  switch (step.kind) {
    case 'reveal':
      return reveal(now, { line: step.line, version: step.version, language: step.language, keyType: step.keyType, keyId: `k${i}` });
    case 'link':
      return issue(now, `l${i}`, { line: step.line, version: step.version });
    case 'download':
      return download(now, `l${step.link}`);
    case 'cancel':
      return cancel(now, step.lines);
  }
}

describe('order invariants under random command sequences (fast-check)', () => {
  it('hold after every accepted or refused command', () => {
    let decided = 0;
    let refusedCount = 0;
    const runs = forRandomHistories({ skus: SKUS, steps: fc.array(stepArb, { maxLength: 60 }), seed: 20261123 }, (purchase, steps) => {
      const log: OrderEvent[] = decideOrder(purchase, initialOrderState, env);
      let state: OrderState = log.reduce(evolveOrder, initialOrderState);
      const downloadsPerLink = new Map<string, number>();
      const creditedPerLine = new Map<number, number>();
      for (const [i, { now, step }] of steps.entries()) {
        const before = JSON.stringify(state, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
        const lengthBefore = log.length;
        let events: OrderEvent[] = [];
        try {
          events = decideOrder(command(step, now, i), state, env);
          decided++;
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          refusedCount++;
        }
        // Deciding never changes the state it was given.
        expect(JSON.stringify(state, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).toBe(before);
        // No credit without a cancellation in the same decision.
        if (events.some((e) => e.type === 'CreditIssued')) expect(events[0]!.type).toBe('OrderCancelled');
        for (const e of events) {
          if (e.type === 'CreditIssued') {
            const line = e.data.line!;
            creditedPerLine.set(line, (creditedPerLine.get(line) ?? 0) + e.data.amount);
            const bought = state.status === 'placed' ? state.lines.find((l) => l.line === line)! : undefined;
            expect(creditedPerLine.get(line)).toBeLessThanOrEqual(bought!.amount);
          }
          if (e.type === 'SoftwareDownloaded') downloadsPerLink.set(e.data.linkId, (downloadsPerLink.get(e.data.linkId) ?? 0) + 1);
        }
        log.push(...events);
        state = events.reduce(evolveOrder, state);
        // The log only grows.
        expect(log.length).toBeGreaterThanOrEqual(lengthBefore);
        // Downloads never exceed 50 per link.
        for (const count of downloadsPerLink.values()) expect(count).toBeLessThanOrEqual(50);
        // No key is readable for a cancelled line.
        if (state.status === 'placed') {
          for (const line of state.lines.filter((l) => l.status === 'cancelled')) {
            expect(() =>
              decideOrder(command({ kind: 'reveal', line: line.line, version: line.versions[0]!, language: 'en-us' }, now, 9999), state, env),
            ).toThrow(expect.objectContaining({ code: 'line_cancelled' }));
            for (const key of state.keys.values()) if (key.line === line.line) expect(key.revoked).toBe(true);
            for (const link of state.links.values()) if (link.line === line.line) expect(link.revoked).toBe(true);
          }
        }
      }
    });
    console.log(`order property test: ${runs} random histories, ${decided} commands accepted, ${refusedCount} refused, 0 invariant violations`);
  });
});
