import { instantMs } from '@csp/domain';
import { lineCancellation, type LineCancellation } from '../cancellability.rules';
import { lineDeadline } from '../cancel/cancel-order.decide';
import type { OrderState } from '../order.state';

/** A line's eligibility (the rule: cancellability.rules.ts), numbered. */
export interface LineEligibility extends LineCancellation {
  readonly line: number;
}

export interface CancellationEligibility {
  /** Whether cancelling the whole order (every active line) would succeed now. */
  readonly eligible: boolean;
  /** Whole days left, rounded up, before the first active line's window closes; 0 when not eligible. */
  readonly daysRemaining: number;
  readonly reason?: string;
  readonly reasonCode?: string;
  readonly lines: readonly LineEligibility[];
}

/** Answers "can this order still be cancelled, for how long, and if not why" without deciding anything. */
export function cancellationEligibility(state: OrderState, now: string): CancellationEligibility {
  if (state.status !== 'placed') return { eligible: false, daysRemaining: 0, reason: 'No such order', reasonCode: 'order_not_found', lines: [] };
  const nowMs = instantMs(now);
  const lines: LineEligibility[] = state.lines.map((line) => ({ line: line.line, ...lineCancellation(line, lineDeadline(state, line), nowMs) }));
  const active = state.lines.filter((l) => l.status === 'active').map((l) => lines.find((e) => e.line === l.line)!);
  if (active.length === 0) {
    return { eligible: false, daysRemaining: 0, reason: 'The order is cancelled', reasonCode: 'order_cancelled', lines };
  }
  const refused = active.find((l) => !l.eligible);
  if (refused) return { eligible: false, daysRemaining: 0, reason: refused.reason, reasonCode: refused.reasonCode, lines };
  return { eligible: true, daysRemaining: Math.min(...active.map((l) => l.daysRemaining)), lines };
}
