// The read-model store port. Its adapters (@csp/projections/memory, @csp/projections/redis) are
// opened by the composition root (libs/runtime) only.
export * from './port';
