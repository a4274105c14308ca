import fc from 'fast-check';
import { DomainError } from '@csp/domain';
import { agent, CUSTOMER_ID, CUSTOMER_TENANT, env, ORDER_ID, PARTNER } from '../../domain/src/testing/fixtures';
import type { OrderCommand } from './order.commands';
import { decideOrder } from './order.decide';
import type { OrderEvent } from './order.events';
import { evolveOrder, initialOrderState, type OrderState } from './order.state';

const H = 3_600_000;
const START = Date.parse('2026-03-02T10:00:00.000Z');
const SKUS = ['WS-STD', 'WS-SUB-1Y', 'WS-SUB-3Y', 'ESU', 'SLES'];
const material = { alg: 'A256GCM' as const, kid: 'k', iv: 'i', tag: 't', ciphertext: 'c' };

type Step =
  | { kind: 'reveal'; line: number; version: string; language: string; keyType?: string }
  | { kind: 'link'; line: number; version: string }
  | { kind: 'download'; link: number }
  | { kind: 'cancel'; lines?: number[] };

const stepArb: fc.Arbitrary<{ advanceHours: number; step: Step }> = fc.record({
  advanceHours: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 24 * 40 })),
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
    fc.record({
      kind: fc.constant('cancel' as const),
      lines: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    }),
  ) as fc.Arbitrary<Step>,
});

function command(step: Step, now: string, i: number): OrderCommand {
  const metadata = { actor: agent, now };
  switch (step.kind) {
    case 'reveal':
      return {
        type: 'RevealKey',
        data: {
          orderId: ORDER_ID,
          line: step.line,
          version: step.version,
          language: step.language,
          fileType: 'x64',
          ...(step.keyType ? { keyType: step.keyType } : {}),
          newKey: { keyId: `k${i}`, fingerprint: `f${i}`, material },
        },
        metadata,
      };
    case 'link':
      return {
        type: 'IssueDownloadLink',
        data: { orderId: ORDER_ID, line: step.line, version: step.version, language: 'en-us', fileType: 'x64', linkId: `l${i}`, tokenHash: `h${i}` },
        metadata,
      };
    case 'download':
      return { type: 'RecordDownload', data: { orderId: ORDER_ID, tokenHash: `h${step.link}`, client: {} }, metadata };
    case 'cancel':
      return { type: 'CancelOrder', data: { orderId: ORDER_ID, reason: 'p', ...(step.lines ? { lines: step.lines } : {}) }, metadata };
  }
}

describe('order invariants under random command sequences (fast-check)', () => {
  it('hold after every accepted or refused command', () => {
    let runs = 0;
    let decided = 0;
    let refusedCount = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 3 }), fc.array(stepArb, { maxLength: 60 }), (skus, steps) => {
        runs++;
        let now = START;
        const purchase: OrderCommand = {
          type: 'PurchaseSoftware',
          data: {
            orderId: ORDER_ID,
            customer: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, market: 'FR' },
            lines: skus.map((sku) => ({ sku, quantity: 1 })),
          },
          metadata: { actor: agent, now: new Date(now).toISOString() },
        };
        const log: OrderEvent[] = decideOrder(purchase, initialOrderState, env);
        let state: OrderState = log.reduce(evolveOrder, initialOrderState);
        const downloadsPerLink = new Map<string, number>();
        const creditedPerLine = new Map<number, number>();
        for (const [i, { advanceHours, step }] of steps.entries()) {
          now += advanceHours * H;
          const before = JSON.stringify(state, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
          const lengthBefore = log.length;
          let events: OrderEvent[] = [];
          try {
            events = decideOrder(command(step, new Date(now).toISOString(), i), state, env);
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
                decideOrder(
                  command({ kind: 'reveal', line: line.line, version: line.versions[0]!, language: 'en-us' }, new Date(now).toISOString(), 9999),
                  state,
                  env,
                ),
              ).toThrow(expect.objectContaining({ code: 'line_cancelled' }));
              for (const key of state.keys.values()) if (key.line === line.line) expect(key.revoked).toBe(true);
              for (const link of state.links.values()) if (link.line === line.line) expect(link.revoked).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300, seed: 20261123 },
    );
    console.log(`order property test: ${runs} random histories, ${decided} commands accepted, ${refusedCount} refused, 0 invariant violations`);
  });
});
