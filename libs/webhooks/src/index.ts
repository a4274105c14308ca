// The webhooks context's pure surface: its events, its decider and its rules. Nothing here loads
// Nest or touches I/O, so pure code and jest may import it; the Nest side (handlers, controller,
// dispatcher) is the separate entry `@csp/webhooks/module`, for apps/ and libs/runtime only.
export * from './webhook.events';
export * from './webhook.decide';
export { EVENT_TYPE_NAME } from './webhook.rules';
