export * from './cancellation-policy';
export * from './policy-table';
export * from './window';
export * from './credit';
