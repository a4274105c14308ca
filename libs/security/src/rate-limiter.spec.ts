import { MemoryRateLimiter } from './rate-limiter';

describe('MemoryRateLimiter', () => {
  it('allows `limit` hits per key and window, then refuses until the next window', async () => {
    const limiter = new MemoryRateLimiter();
    const at = 60_000 * 100 + 5_000;
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.hit('user-1', 3, 60_000, at));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, count: 4, retryAfterMs: 55_000 });
    expect((await limiter.hit('user-2', 3, 60_000, at)).allowed).toBe(true);
    expect(await limiter.hit('user-1', 3, 60_000, at + 55_000)).toEqual({ allowed: true, count: 1, retryAfterMs: 60_000 });
  });

  it('forgets past windows once it holds many keys, and prunes at most once per window', async () => {
    const limiter = new MemoryRateLimiter();
    const windows = (limiter as unknown as { windows: Map<string, unknown> }).windows;
    const prune = jest.spyOn(limiter as unknown as { prune(start: number): void }, 'prune');
    for (let i = 0; i <= 100_000; i++) await limiter.hit(`old-${i}`, 10, 60_000, 0);
    // Over 100,000 keys, all in the current window: nothing to drop, and no walk per new key.
    for (let i = 0; i < 1_000; i++) await limiter.hit(`more-${i}`, 10, 60_000, 1);
    expect(prune).toHaveBeenCalledTimes(1);
    // The next window drops the old one.
    await limiter.hit('next', 10, 60_000, 60_000);
    expect(prune).toHaveBeenCalledTimes(2);
    expect(windows.size).toBe(1);
  });
});
