export * from './money';
export * from './actor';
export * from './errors';
export * from './command';
export * from './time';
export * from './ids';
export * from './constant-time';
export * from './limits';
