export * from './events';
export * from './commands';
export * from './state';
export * from './credits';
export * from './decide';
export * from './eligibility';
