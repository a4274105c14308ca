export * from './apply-batch';
export * from './lag';
export * from './projection-runner';
export * from './rebuild';
