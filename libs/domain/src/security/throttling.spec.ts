import { deciderSpec } from '../testing/given-when-then';
import { agent, ORDER_ID, PARTNER } from '../testing/fixtures';
import type { KeyAccessThrottled } from './events';
import { decideKeyAccessThrottling, type ThrottleKeyAccess } from './throttling';

// Nothing to remember between refusals: the rate limiter counts, the decider decides what is recorded.
const given = deciderSpec<null, ThrottleKeyAccess, KeyAccessThrottled>({
  initialState: null,
  decide: (command) => decideKeyAccessThrottling(command),
  evolve: (state) => state,
});
const NOW = '2026-03-02T10:00:00.000Z';
const throttle = (count: number, over: Partial<ThrottleKeyAccess['data']> = {}, now = NOW): ThrottleKeyAccess => ({
  type: 'ThrottleKeyAccess',
  data: { action: 'reveal-key', scope: 'user', orderId: ORDER_ID, limit: 10, windowSeconds: 60, count, ...over },
  metadata: { actor: agent, now },
});

describe('ThrottleKeyAccess', () => {
  it('records the first refusal of a window: who, what, which limit, when', () => {
    given()
      .when(throttle(11))
      .then([
        {
          type: 'KeyAccessThrottled',
          data: {
            action: 'reveal-key',
            scope: 'user',
            actor: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] },
            orderId: ORDER_ID,
            limit: 10,
            windowSeconds: 60,
            throttledAt: NOW,
          },
        },
      ]);
    given()
      .when(throttle(51, { action: 'issue-download-link', scope: 'tenant', limit: 50 }))
      .then(([e]) => expect(e!.data).toEqual(expect.objectContaining({ action: 'issue-download-link', scope: 'tenant', limit: 50 })));
  });

  it('records nothing for the later refusals of the same window', () => {
    for (const count of [12, 13, 1_000]) given().when(throttle(count)).then([]);
  });

  it('records the instant in canonical UTC form, and refuses one that is not an instant', () => {
    given()
      .when(throttle(11, {}, '2026-03-02T11:00:00+01:00'))
      .then(([e]) => expect(e!.data.throttledAt).toBe(NOW));
    given()
      .when(throttle(11, {}, 'soon'))
      .thenThrows('invalid', 'invalid_date', { field: 'now' });
  });
});
