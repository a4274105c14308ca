import type { DomainEvent } from '../shared/command';
import type { AccessedBy } from '../shared/actor';

/**
 * A burst of key reveals or link issues went past a configured limit and was refused (HTTP 429).
 * Recorded once per caller (or tenant) and window, for fraud and back-office services.
 *
 * @stream keyAccessThrottling-<tenantId> — one per caller tenant
 */
export type KeyAccessThrottled = DomainEvent<
  'KeyAccessThrottled',
  {
    action: 'reveal-key' | 'issue-download-link';
    /** Which limit was exceeded: the caller's own, or its whole tenant's. */
    scope: 'user' | 'tenant';
    actor: AccessedBy;
    orderId: string;
    limit: number;
    windowSeconds: number;
    throttledAt: string;
  }
>;
