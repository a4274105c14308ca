// The analytics read context's pure surface: its projection (reads and apply, no I/O) and the
// totals it keeps. Nothing here loads Nest, so pure code and jest may import it; the Nest side
// (the questions' handlers over the read-model store, the controller) is the separate entry
// `@csp/analytics/module`, for apps/ and libs/runtime only.
export { analyticsProjection, type AccessDayTotals, type CancellationCounters, type CreditGroupTotals, type PurchaseGroupTotals } from './analytics.projection';
