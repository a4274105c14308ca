/** An order line is active until it is cancelled; nothing brings it back. */
export type LineStatus = 'active' | 'cancelled';

/** An order as a whole: no line cancelled, some, or all. */
export type OrderStatus = 'active' | 'partially-cancelled' | 'cancelled';

/**
 * The status of an order of `lines` lines of which `cancelled` are cancelled: the one rule, used by
 * the CancelOrder decider (`wholeOrder` of OrderCancelled, cancel/cancel-order.decide.ts), the
 * order view of GET /v1/orders/{id} and the CancelOrder response (order-stream.state.ts), and the
 * order-history read model (order-history/order-history.projection.ts).
 */
export function orderStatus(lines: number, cancelled: number): OrderStatus {
  if (cancelled === 0) return 'active';
  return cancelled >= lines ? 'cancelled' : 'partially-cancelled';
}
