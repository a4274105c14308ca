export * from './sku';
export * from './catalog';
export * from './markets';
