/** How long a licence type can be cancelled after purchase, and with which credit. */
export interface PolicyTerms<Credit extends 'full' | 'prorated'> {
  /** Hours from the purchase instant during which the licence can be cancelled (720 = 30 days). */
  readonly windowHours: number;
  /** `full`: the line amount; `prorated`: the line amount × remaining days ÷ term days, rounded half up. */
  readonly credit: Credit;
}

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
  readonly perpetual: PolicyTerms<'full'>;
  /** Software subscriptions: cancellable for `windowHours` after purchase, with a prorated credit. */
  readonly subscription: PolicyTerms<'prorated'>;
  /** The entry in words, for people. */
  readonly description?: string;
}
