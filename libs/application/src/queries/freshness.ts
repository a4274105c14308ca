/** What a read-model answer reflects: at least `position` when `reached`, else an older state. */
export interface Freshness {
  /** The position the query waited for. */
  readonly position: string;
  readonly reached: boolean;
}
