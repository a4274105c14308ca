export * from './read-model-queries';
