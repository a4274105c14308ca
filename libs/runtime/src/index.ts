// The composition root: the one place that chooses and opens the stores and adapters the
// configuration names, for every entry point (the API, the projector, each CLI command). Only apps
// import it, and only it imports adapters (.dependency-cruiser.cjs).
export * from './runtime';
export * from './audit-read-model';
export * from './service-process';
export * from './store/backup';
export * from './store/copy';
export { BackupDamagedError, NotABackupError, StoreCommandRefused } from './store/errors';
export type { BackupManifest } from './store/manifest';
export * from './configured-stores';
