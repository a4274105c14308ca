import { accessedBy, type Command } from '../shared/command';
import { instantMs, isoOf } from '../shared/time';
import type { KeyAccessThrottled } from './events';

/**
 * A key reveal or link issue went past a key-access limit: `count` is how many attempts the
 * caller (or its tenant) made in the current window, `limit` how many it may make.
 */
export type ThrottleKeyAccess = Command<
  'ThrottleKeyAccess',
  Pick<KeyAccessThrottled['data'], 'action' | 'scope' | 'orderId' | 'limit' | 'windowSeconds'> & { readonly count: number }
>;

/**
 * The first refusal of a window is recorded, for fraud and back office; later ones in the same
 * window are not, so that a flood of refused requests cannot flood the event store too.
 */
export function decideKeyAccessThrottling(command: ThrottleKeyAccess): KeyAccessThrottled[] {
  const { action, scope, orderId, limit, windowSeconds, count } = command.data;
  if (count !== limit + 1) return [];
  const { now } = command.metadata;
  return [
    {
      type: 'KeyAccessThrottled',
      data: {
        action,
        scope,
        actor: accessedBy(command),
        orderId,
        limit,
        windowSeconds,
        throttledAt: isoOf(instantMs(now, 'now')),
      },
    },
  ];
}
