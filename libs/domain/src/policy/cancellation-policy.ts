/**
 * One entry of the effective-dated cancellation policy table (config/cancellation-policies.json).
 * The entry in force at the purchase instant is copied into the purchase event, so later policy
 * changes never rewrite the rights of old orders.
 */
export interface CancellationPolicy {
  readonly id: string;
  /** ISO-8601 UTC instant from which the entry governs new purchases (inclusive). */
  readonly effectiveFrom: string;
  readonly perpetual: { readonly windowHours: number; readonly credit: 'full' };
  readonly subscription: { readonly windowHours: number; readonly credit: 'prorated' };
  readonly description?: string;
}
