export * from './events';
export * from './refund-request';
export * from './order-refund-decisions';
