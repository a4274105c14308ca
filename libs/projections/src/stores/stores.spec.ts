import { readModelStoreContract } from './contract';
import { MemoryReadModelStore } from './memory-store';
import { RedisReadModelStore } from './redis-store';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from '../testing/redis';

readModelStoreContract('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

if (redisForTests('read-model store contract')) {
  readModelStoreContract('redis', async () => {
    const prefix = testPrefix('store');
    const store = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
    return {
      store,
      dispose: async () => {
        await deleteKeys(store.redis, prefix);
        await store.close();
      },
    };
  });
}
