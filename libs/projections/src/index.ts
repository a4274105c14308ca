// The read side: pure projections, the stores they are kept in, the runners that keep them, and the queries over them.
export * from './projection';
export * from './projection-fingerprint';
export * from './stores';
export * from './runner';
export * from './read-side';
// What back office sees of the store (the SSE route and webhook delivery): the published streams, each event as published.
export * from './published-event';
