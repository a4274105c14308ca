export * from './key-access';
export * from './report';
export * from './replay';
export * from './verify';
