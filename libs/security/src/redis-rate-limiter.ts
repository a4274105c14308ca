import { ReplyError, type Redis } from 'ioredis';
import { RateLimiterUnavailableError, type RateDecision, type RateLimiter } from './rate-limiter';

const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`;

/** Counters shared by every API replica, in Redis. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'csp:',
  ) {
    redis.defineCommand('cspRateHit', { numberOfKeys: 1, lua: HIT });
  }

  async hit(key: string, limit: number, windowMs: number, now = Date.now()): Promise<RateDecision> {
    const start = now - (now % windowMs);
    let count: number, ttl: number;
    try {
      [count, ttl] = await (this.redis as unknown as { cspRateHit: (k: string, ms: number) => Promise<[number, number]> }).cspRateHit(
        `${this.prefix}rate:${key}:${start}`,
        windowMs,
      );
    } catch (error) {
      // Fail closed: without its counters the throttle cannot tell, so the access is refused (503), never let through.
      if (error instanceof ReplyError) throw error;
      throw new RateLimiterUnavailableError(`Redis cannot be reached: ${(error as Error).message}`, { cause: error });
    }
    return { allowed: count <= limit, count, retryAfterMs: Math.max(0, ttl) };
  }
}
