import { execFileSync } from 'node:child_process';
import { readModelStoreContract } from './contract/read-model-store.contract';
import { MemoryReadModelStore } from './memory-store';
import { RedisReadModelStore } from './redis-store';
import { REDIS_URL, testPrefix } from '../testing/redis';

readModelStoreContract('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

// Decided before the suite is declared: jest cannot add tests after an await.
const redisUp = (() => {
  try {
    return execFileSync(process.execPath, ['-e', `const R=require('ioredis');const r=new R(${JSON.stringify(REDIS_URL)},{maxRetriesPerRequest:0,connectTimeout:1500,retryStrategy:()=>null});r.on('error',()=>{});r.ping().then(()=>{process.stdout.write('up');r.disconnect()},()=>{r.disconnect()})`], { encoding: 'utf8', timeout: 5000 }) === 'up';
  } catch {
    return false;
  }
})();
if (!redisUp) {
  if (process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but Redis does not answer at ${REDIS_URL}`);
  console.warn(`REDIS STORE CONTRACT SKIPPED: Redis does not answer at ${REDIS_URL}; set REDIS_URL or start redis-server`);
}

(redisUp ? readModelStoreContract : describe.skip)('redis', async () => {
  const prefix = testPrefix('store');
  const store = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
  return {
    store,
    dispose: async () => {
      // Leave nothing behind: every key this test wrote shares its prefix.
      const keys = await store.redis.keys(`${prefix}*`);
      if (keys.length > 0) await store.redis.del(...keys);
      await store.close();
    },
  };
});
