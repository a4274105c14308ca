export * from './port';
export * from './memory-store';
export * from './redis-store';
