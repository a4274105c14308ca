export * from './webhook-events';
export * from './signature';
export * from './published-event';
export * from './webhook-dispatcher';
export * from './webhook-handlers';
