import { eventStoreContract } from '../../../event-store/src/contract';
import { InMemoryEventStore } from './in-memory-event-store';

// The fake the read side's tests run on must behave like the real adapters: it passes their suite.
eventStoreContract('in-memory (read-side tests)', async () => {
  const store = new InMemoryEventStore();
  return { store, dispose: () => store.close() };
});
