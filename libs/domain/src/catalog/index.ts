export * from './sku';
export * from './catalog';
