import { readModelStoreContract } from './contract';
import { memoryStoreForTests, sqliteStoreForTests } from '../testing/read-model-stores';
import { redisForTests, testRedisStore } from '../testing/redis';

readModelStoreContract('memory', memoryStoreForTests);

readModelStoreContract('sqlite', sqliteStoreForTests);

if (redisForTests('read-model store contract')) {
  readModelStoreContract('redis', async () => testRedisStore('store'));
}
