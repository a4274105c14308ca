import { ReadConsistency } from './queries/read-consistency';
import { GetCatalogHandler, GetKmsMigrationDeadlineHandler } from './queries/reference-queries';
import { KeyAccessThrottle } from './throttling/key-access-throttle';

export * from './tokens';
export * from './context';
export * from './ids';
export * from './csv';
export { idnaDomain } from './domain-names';
export * from './reference-data';
export * from './stream-repository';
export { observeCommands } from './command-observer';
export * from './upcasting';
export * from './logging/json-logger';
export * from './queries/reference-queries';
export * from './queries/read-consistency';
export * from './queries/read-model-behind';
export * from './queries/read-model-query-handler';
export * from './queries/by-id-query';
export * from './queries/cursors';
export * from './throttling/key-access-throttle';

/**
 * The application's own CQRS handlers: the reference data's queries, read consistency and the
 * key-access throttle. Each bounded context registers its own (@csp/<context>/module).
 */
export const APPLICATION_HANDLERS = [GetCatalogHandler, GetKmsMigrationDeadlineHandler, ReadConsistency, KeyAccessThrottle];
