import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenedReadModelStore } from '../stores/contract';
import { MemoryReadModelStore } from '../stores/memory-store';
import { SqliteReadModelStore } from '../stores/sqlite-store';

// A fresh, empty store of each embedded kind, for the suites that run on every kind (Redis: testing/redis.ts).

export async function memoryStoreForTests(): Promise<OpenedReadModelStore> {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
}

/** In a folder of its own, removed with it. */
export async function sqliteStoreForTests(): Promise<OpenedReadModelStore> {
  const dir = mkdtempSync(join(tmpdir(), 'csp-read-models-'));
  const store = new SqliteReadModelStore(join(dir, 'read-models.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
