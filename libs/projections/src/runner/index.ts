export * from './apply-batch';
export * from './progress';
export * from './projection-runner';
export * from './rebuild';
