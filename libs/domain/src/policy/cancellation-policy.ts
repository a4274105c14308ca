/**
 * One entry of the effective-dated cancellation policy table (config/cancellation-policies.json).
 * The entry in force at the purchase instant is copied into the purchase event, so later policy
 * changes never rewrite the rights of old orders.
 */
export interface CancellationPolicy {
  /** Id of the entry in the policy table, e.g. `csp-2023-06-30`. */
  readonly id: string;
  /** ISO-8601 UTC instant from which the entry governs new purchases (inclusive). */
  readonly effectiveFrom: string;
  /** Perpetual licences: cancellable for `windowHours` after purchase, with a full credit. */
  readonly perpetual: { readonly windowHours: number; readonly credit: 'full' };
  /** Software subscriptions: cancellable for `windowHours` after purchase, with a prorated credit. */
  readonly subscription: { readonly windowHours: number; readonly credit: 'prorated' };
  /** The entry in words, for people. */
  readonly description?: string;
}
