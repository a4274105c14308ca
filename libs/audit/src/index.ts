// The audit context's pure surface: which events are a key access and what each tells (the one
// mapping), the activity-log projection, and the audit query and entry of the key-access history.
// Nothing here loads Nest or touches I/O, so pure code and jest may import it. The replay, report
// and verify over the stores, and the activity log's queries, are `@csp/audit/history` (Nest-free,
// for the audit CLI and the composition root); the route is `@csp/audit/module`.
export * from './key-access.rules';
export { activityIndexes, activityLogProjection, type ActivityEntry, type ActivityKind } from './activity-log/activity-log.projection';
export { AuditQueryError, normaliseQuery, parseAuditQuery, type AuditQuery, type KeyAccessEntry } from './key-access-history.rules';
