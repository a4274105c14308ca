// The refunds context's pure surface: the refund requests' events, commands, state, deciders and
// the rules the HTTP layer checks first. Nothing here loads Nest or touches I/O; the Nest side
// (handlers, controller, the streams' models) is the separate entry `@csp/refunds/module`.
export * from './refund-request.events';
export * from './refund-request.commands';
export * from './refund-request.state';
export * from './order-refund-decisions.state';
export * from './refund-request.decide';
export { decideRefundDecision, type RefundDecisionEvent } from './decide/decide-refund-request.decide';
export { checkRefundSubmission, DEFAULT_REFUND_CURRENCY } from './refund-request.rules';
