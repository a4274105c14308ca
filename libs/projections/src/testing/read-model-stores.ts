import type { OpenedReadModelStore } from '../stores/contract';
import { MemoryReadModelStore } from '../stores/memory-store';
import { testSqliteStore } from './sqlite';

// A fresh, empty store of each embedded kind, for the suites that run on every kind (Redis: testing/redis.ts).

export async function memoryStoreForTests(): Promise<OpenedReadModelStore> {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
}

/** In a folder of its own, removed with it. */
export const sqliteStoreForTests = async (): Promise<OpenedReadModelStore> => testSqliteStore();
