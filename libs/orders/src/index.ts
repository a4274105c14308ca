// The orders context's pure surface: the orders' events, commands, state, deciders and the rules
// both sides share (can a line be cancelled, is a link alive, the order's status, what it may still
// credit), and the read models built from its events. Nothing here loads Nest or touches I/O; the
// Nest side (handlers, controllers, the stream's model) is the separate entry `@csp/orders/module`.
export * from './order.events';
export * from './order-life.rules';
export * from './order.commands';
export * from './order.state';
export * from './order-stream.state';
export * from './order-status.rules';
export * from './link-status.rules';
export * from './cancellability.rules';
export * from './order-credits.rules';
export * from './order.decide';
export { LINK_LIFETIME_MS, LINK_MAX_DOWNLOADS } from './download-links/issue-download-link.decide';
export { lineDeadline, lineRefusal } from './cancel/cancel-order.decide';
export type { OrderEnvironment } from './order.rules';
export * from './eligibility/cancellation-eligibility.rules';
export * from './software-list/software-list.projection';
export * from './order-history/order-history.projection';
