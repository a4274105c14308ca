// The domain's public surface: pure deciders, their events and the rules they share.
export * from './shared';
export * from './streams';
export * from './catalog';
export * from './policy';
export * from './migration';
export * from './security/events';
export * from './security/throttling';
export * from './schema/event-versions';
export * from './schema/published-events';
