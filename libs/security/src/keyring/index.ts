// The keyring and its store port. The stores (@csp/security/sqlite, @csp/security/kurrentdb,
// @csp/security/postgres) are opened by the composition root (libs/runtime) only.
export * from './data-key-store';
export * from './tenant-keyring';
export * from './keyring-transfer';
