import {
  cancellationDeadline,
  daysRemaining,
  isoOf,
  isWithinWindow,
  windowHoursFor,
  type CancellationClass,
  type CancellationPolicy,
  type LicenseType,
} from '@csp/domain';
import type { LineStatus } from './order-status.rules';

/*
 * Whether an order line may be cancelled, for how long and why not (SPEC §1 "Cancellation"): the
 * one rule, used by
 * - the CancelOrder decider (cancel/cancel-order.decide.ts: a refusal is the 409 and cancels nothing),
 * - the eligibility route GET /v1/orders/{id}/cancellation-eligibility (cancellationEligibility,
 *   eligibility/cancellation-eligibility.rules.ts, from the order's stream),
 * - the software list GET /v1/customers/{id}/software (software-list/software-list.queries.ts: each
 *   line's `cancellation`, from the deadline the software-list read model stored at purchase).
 * Both routes give the same answer for a line at the same instant
 * (software-list/cancellation-agreement.spec.ts proves it for every class).
 */

/** What of a line decides whether it may be cancelled (the order state's line and the software list's line both have it). */
export interface CancellableLine {
  readonly line: number;
  readonly name: string;
  readonly status: LineStatus;
  readonly cancellationClass: CancellationClass;
}

/** Why a line cannot be cancelled: the error code of the 409 and its message. */
export interface CancellationRefusal {
  readonly code: string;
  readonly message: string;
}

/** A line's cancellation eligibility at an instant. */
export interface LineCancellation {
  readonly eligible: boolean;
  /** Whole days left in the window, rounded up; 0 once it has closed or when not eligible. */
  readonly daysRemaining: number;
  /** When the line's window closes: only for the `standard` class, the only one with a window. */
  readonly deadline?: string;
  readonly reason?: string;
  readonly reasonCode?: string;
}

/**
 * The instant (epoch ms) a line's cancellation window closes: purchase + the window of the policy
 * recorded in the purchase for the line's licence type, in exact hours. Computed for every line;
 * only a `standard` line is ever cancelled inside it.
 */
export function lineCancellationDeadline(purchasedAtMs: number, policy: CancellationPolicy, licenseType: LicenseType): number {
  return cancellationDeadline(purchasedAtMs, windowHoursFor(policy, licenseType));
}

/** Why the line cannot be cancelled at `nowMs`, or undefined if it can. First reason wins: cancelled, class, window. */
export function cancellationRefusal(line: CancellableLine, deadlineMs: number, nowMs: number): CancellationRefusal | undefined {
  if (line.status === 'cancelled') return { code: 'line_cancelled', message: `Line ${line.line} is already cancelled` };
  if (line.cancellationClass === 'support-request') {
    return { code: 'refund_request_required', message: `${line.name} cannot be cancelled directly: file a refund request instead` };
  }
  if (line.cancellationClass === 'non-cancellable') return { code: 'not_cancellable', message: `${line.name} can be neither cancelled nor exchanged` };
  if (!isWithinWindow(nowMs, deadlineMs)) {
    return { code: 'cancellation_window_closed', message: `The cancellation window of line ${line.line} closed at ${isoOf(deadlineMs)}` };
  }
  return undefined;
}

/**
 * The line's eligibility at `nowMs`: eligible or not, the days left (rounded up), the deadline of a
 * `standard` line's window (a support-request or non-cancellable line has no window, so no
 * deadline), and the reason when not eligible.
 */
export function lineCancellation(line: CancellableLine, deadlineMs: number, nowMs: number): LineCancellation {
  const refusal = cancellationRefusal(line, deadlineMs, nowMs);
  const deadline = line.cancellationClass === 'standard' ? { deadline: isoOf(deadlineMs) } : {};
  if (refusal) return { eligible: false, daysRemaining: 0, ...deadline, reason: refusal.message, reasonCode: refusal.code };
  return { eligible: true, daysRemaining: daysRemaining(nowMs, deadlineMs), ...deadline };
}
