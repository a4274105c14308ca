export * from './events';
export * from './registry';
