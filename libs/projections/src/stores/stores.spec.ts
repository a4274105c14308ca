import { readModelStoreContract } from './contract';
import { MemoryReadModelStore } from './memory-store';
import { redisForTests, testRedisStore } from '../testing/redis';
import { testSqliteStore } from '../testing/sqlite';

readModelStoreContract('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

readModelStoreContract('sqlite', async () => testSqliteStore());

if (redisForTests('read-model store contract')) {
  readModelStoreContract('redis', async () => testRedisStore('store'));
}
