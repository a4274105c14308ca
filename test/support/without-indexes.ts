import type { EventStore } from '@csp/event-store';

/** The store as one that keeps no data index reads (no readIndexed): a replay scans every key-access event of the log. */
export function withoutIndexedReads(store: EventStore): EventStore {
  return {
    append: store.append.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    subscribe: store.subscribe.bind(store),
    headPosition: store.headPosition.bind(store),
    close: store.close.bind(store),
  };
}
