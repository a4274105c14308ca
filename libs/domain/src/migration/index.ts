export * from './kms-deadline';
