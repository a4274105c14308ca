export * from './port';
export * from './sqlite';
export * from './kurrentdb';
export * from './upcasting';
