export * from './events';
export * from './refund-request';
