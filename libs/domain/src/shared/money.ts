/** An amount in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  /** Integer minor units (cents) of `currency`. */
  readonly amount: number;
  /** ISO 4217 code, e.g. `EUR`. */
  readonly currency: string;
}
