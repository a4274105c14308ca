export * from './history';
export * from './copy-history';
