import { readModelStoreContract } from './contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryReadModelStore } from './memory-store';
import { SqliteReadModelStore } from './sqlite-store';
import { redisForTests, testRedisStore } from '../testing/redis';

readModelStoreContract('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

readModelStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-read-models-'));
  const store = new SqliteReadModelStore(join(dir, 'read-models.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

if (redisForTests('read-model store contract')) {
  readModelStoreContract('redis', async () => testRedisStore('store'));
}
