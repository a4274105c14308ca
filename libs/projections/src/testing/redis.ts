import Redis from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * Whether the Redis-backed suites can run. With REQUIRE_REDIS=1 (CI) a missing Redis fails the
 * run; elsewhere the suites are skipped with one loud line, never silently.
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
    console.warn(`REDIS SUITES SKIPPED: Redis does not answer at ${REDIS_URL} (${(error as Error).message}); set REDIS_URL or start redis-server`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other test run shares. */
export const testPrefix = (name: string) => `csp-test:${name}:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
