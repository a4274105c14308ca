import { readModelStoreContract } from './contract';
import { MemoryReadModelStore } from './memory-store';
import { redisForTests, testRedisStore } from '../testing/redis';

readModelStoreContract('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

if (redisForTests('read-model store contract')) {
  readModelStoreContract('redis', async () => testRedisStore('store'));
}
