// The customers context's pure surface: its events, the partner's registry (state, evolve, and the
// stream model the purchase and refund-request handlers load it with), the deciders of its commands,
// and its read model. Nothing here loads Nest or touches I/O, so pure code and jest may import it;
// the Nest side (handlers, controllers) is the separate entry `@csp/customers/module`, for apps/ and
// libs/runtime only.
export * from './customer.events';
export * from './register/register-customer.decide';
export * from './destroy-key-material/destroy-key-material.decide';
export { customersProjection } from './customers.projection';
export { CustomersQueries } from './customers.queries';
