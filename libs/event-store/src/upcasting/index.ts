export * from './upcasting';
