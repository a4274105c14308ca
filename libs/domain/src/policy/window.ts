import type { LicenseType } from '../catalog/sku';
import { DAY_MS, HOUR_MS } from '../shared/time';
import type { CancellationPolicy } from './cancellation-policy';

/** The instant (epoch ms) a cancellation window closes: exact hours after purchase, UTC. */
export function cancellationDeadline(purchasedAtMs: number, windowHours: number): number {
  return purchasedAtMs + windowHours * HOUR_MS;
}

export function windowHoursFor(policy: CancellationPolicy, licenseType: LicenseType): number {
  return licenseType === 'perpetual' ? policy.perpetual.windowHours : policy.subscription.windowHours;
}

/** Inside the window strictly before its deadline: day 7 ends at 168 h, and at 168 h it is closed. */
export const isWithinWindow = (nowMs: number, deadlineMs: number): boolean => nowMs < deadlineMs;

/** Whole days left, rounded up: 30 just after a perpetual purchase, 1 in its last day, 0 once closed. */
export function daysRemaining(nowMs: number, deadlineMs: number): number {
  return nowMs >= deadlineMs ? 0 : Math.ceil((deadlineMs - nowMs) / DAY_MS);
}
