export * from './read-models';
export * from './analytics';
