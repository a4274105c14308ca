import { DestroyKeyMaterialHandler, RegisterCustomerHandler } from './customers/customer-handlers';
import { GetCustomerHandler } from './queries/read-queries';
import { ReadConsistency } from './queries/read-consistency';
import { GetCatalogHandler, GetKmsMigrationDeadlineHandler } from './queries/reference-queries';
import { KeyAccessThrottle } from './throttling/key-access-throttle';

export * from './tokens';
export * from './context';
export * from './ids';
export * from './csv';
export * from './reference-data';
export * from './stream-repository';
export * from './upcasting';
export * from './logging/json-logger';
export * from './customers/customer-handlers';
export * from './customers/customer-registry-stream';
export * from './domain-names';
export * from './queries/read-queries';
export * from './queries/reference-queries';
export * from './queries/read-consistency';
export * from './queries/read-model-behind';
export * from './throttling/key-access-throttle';

export const APPLICATION_HANDLERS = [
  RegisterCustomerHandler,
  DestroyKeyMaterialHandler,
  GetCustomerHandler,
  GetCatalogHandler,
  GetKmsMigrationDeadlineHandler,
  ReadConsistency,
  KeyAccessThrottle,
];
