import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { decideKeyAccessThrottling, keyAccessThrottlingStreamId, type KeyAccessThrottled, type ThrottleKeyAccess } from '@csp/domain';
import type { EventStore } from '@csp/event-store';
import type { AppConfig, Clock } from '@csp/config';
import type { RateLimiter } from '@csp/security';
import { Metrics } from '@csp/observability';
import { eventMetadata, type CommandContext } from '../context';
import { CLOCK, EVENT_STORE, KEY_ACCESS_LIMITS, RATE_LIMITER } from '../tokens';

/** Refused for going past a key-access limit: HTTP 429 with Retry-After. */
export class ThrottledError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly scope: 'user' | 'tenant',
  ) {
    super(`Too many key reveals and download links ${scope === 'user' ? 'by you' : 'for your tenant'}; retry in ${retryAfterSeconds} s`);
    this.name = 'ThrottledError';
  }
}

/**
 * Product keys are sought after: reveals and link issues are limited per caller and per tenant.
 * The first refusal of a window is recorded as KeyAccessThrottled for fraud and back office;
 * later ones in the same window are not, so a flood cannot flood the event store too.
 */
@Injectable()
export class KeyAccessThrottle {
  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(KEY_ACCESS_LIMITS) private readonly limits: AppConfig['keyAccessLimits'],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async check(action: KeyAccessThrottled['data']['action'], context: CommandContext, orderId: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    const { actor } = context;
    const checks = [
      { scope: 'user' as const, key: `key-access:user:${actor.tid}:${actor.sub}`, limit: this.limits.perUser },
      { scope: 'tenant' as const, key: `key-access:tenant:${actor.tid}`, limit: this.limits.perTenant },
    ];
    for (const { scope, key, limit } of checks) {
      const decision = await this.limiter.hit(key, limit, windowMs);
      if (decision.allowed) continue;
      this.metrics?.keyAccessThrottled.inc({ action, scope });
      await this.record(context, { action, scope, orderId, limit, windowSeconds: this.limits.windowSeconds, count: decision.count });
      throw new ThrottledError(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)), scope);
    }
  }

  /** Appends what the domain decides for a refusal: KeyAccessThrottled for the first of its window, else nothing. */
  private async record(context: CommandContext, data: ThrottleKeyAccess['data']): Promise<void> {
    const now = this.clock.now();
    const events = decideKeyAccessThrottling({ type: 'ThrottleKeyAccess', data, metadata: { actor: context.actor, now: now.toISOString() } });
    if (events.length === 0) return;
    await this.store.append(
      keyAccessThrottlingStreamId(context.actor.tid),
      events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: eventMetadata(context, now, { tenantId: context.actor.tid }, event.type),
      })),
      'any',
    );
  }
}
