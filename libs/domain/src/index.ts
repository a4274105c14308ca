// Public surface of the domain. Filled in by the modules below.
export * from './shared/money';
export * from './shared/actor';
export * from './shared/errors';
export * from './shared/command';
export * from './catalog/sku';
export * from './policy/cancellation-policy';
export * from './customers/events';
export * from './orders/events';
export * from './refunds/events';
