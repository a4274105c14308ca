// The key-access history read from the stores: the auditors' replay from the event store, its
// report (written and checked) and its comparison with the activity log, and the activity log's
// queries over the read side's store. Through the stores' ports only (the composition root opens
// them) and without Nest, so that the audit CLI, libs/runtime and jest may load it on its own.
export { ActivityLogQueries, type ActivityPage, type ActivityQuery } from './activity-log/activity-log.queries';
export * from './replay/replay';
export * from './report/report';
export * from './verify/verify';
