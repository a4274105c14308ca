// The credits read context's pure surface: its projection (reads and apply, no I/O) and the keys of
// the documents and indexes it keeps, which the analytics specs' oracle reads too. Nothing here loads
// Nest, so pure code and jest may import it; the Nest side (the query's handler over the read-model
// store, the controller) is the separate entry `@csp/credits/module`, for apps/ and libs/runtime only.
export { creditIdOf, creditIndexes, creditsProjection, type CreditView } from './credits.projection';
