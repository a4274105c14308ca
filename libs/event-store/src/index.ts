// The event store port and what works over any adapter. The adapters are opened by the composition
// root (libs/runtime) only, through their own entry points: @csp/event-store/sqlite, @csp/event-store/kurrentdb,
// @csp/event-store/postgres.
export * from './port';
export * from './upcasting';
export * from './history';
