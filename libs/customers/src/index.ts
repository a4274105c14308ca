export * from './events';
export * from './registry';
export * from './key-material';
