export * from './data-key-store';
export * from './sqlite-data-key-store';
export * from './kurrentdb-data-key-store';
export * from './tenant-keyring';
