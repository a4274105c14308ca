// Test support for the read side and its users: never imported by production code.
export * from './fold';
export * from './generated-history';
export * from './in-memory-event-store';
export * from './product-history';
export * from './recorded';
export * from './redis';
export * from './scenario';
