import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { RedisReadModelStore } from '../stores/redis-store';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * Whether the Redis-backed suites can run, decided synchronously because jest declares tests
 * before anything is awaited. With REQUIRE_REDIS=1 (CI) a Redis that does not answer fails the
 * suite; elsewhere the suite is skipped with one loud line, never silently.
 */
export function redisForTests(suite: string): boolean {
  const probe = `
    const Redis = require('ioredis');
    const r = new Redis(${JSON.stringify(REDIS_URL)}, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
    r.on('error', () => {});
    r.connect().then(() => r.ping()).then(() => { process.stdout.write('PONG'); r.disconnect(); }, (e) => { process.stdout.write(String(e && e.message)); r.disconnect(); });
  `;
  let answer: string;
  try {
    answer = execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 5_000 });
  } catch (error) {
    answer = (error as Error).message;
  }
  if (answer === 'PONG') return true;
  if (process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but Redis does not answer at ${REDIS_URL}: ${answer}`);
  console.warn(
    `REDIS TESTS SKIPPED (${suite}): Redis does not answer at ${REDIS_URL} (${answer}); start redis-server or set REDIS_URL, and REQUIRE_REDIS=1 to make this a failure`,
  );
  return false;
}

/**
 * The same decision, asynchronously, for a test that can still return early: true when Redis
 * answers; with REQUIRE_REDIS=1 a Redis that does not answer throws; otherwise one loud line.
 */
export async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    if (process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but Redis does not answer at ${REDIS_URL}: ${(error as Error).message}`);
    console.warn(
      `REDIS TESTS SKIPPED: Redis does not answer at ${REDIS_URL} (${(error as Error).message}); start redis-server or set REDIS_URL, and REQUIRE_REDIS=1 to make this a failure`,
    );
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other test run shares. */
export const testPrefix = (name: string) => `csp-test:${name}:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;

/** Removes every key a test wrote under its prefix. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** A read-model store of its own on the test Redis: `dispose` removes every key it wrote and closes it. */
export interface TestRedisStore {
  readonly store: RedisReadModelStore;
  readonly prefix: string;
  dispose(): Promise<void>;
}

export function testRedisStore(name: string): TestRedisStore {
  const prefix = testPrefix(name);
  const store = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
  return {
    store,
    prefix,
    dispose: async () => {
      await deleteKeys(store.redis, prefix);
      await store.close();
    },
  };
}
