/** Realistic small events (the shape of ProductKeyRevealed) for the store benchmarks. */
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@csp/event-store';

const partnerTenantId = randomUUID();
const customerId = randomUUID();
const customerTenantId = randomUUID();
const actor = { sub: 'agent-1', tid: partnerTenantId, roles: ['admin-agent'] };

/** One event as the product writes it: ~420 bytes of data and ~330 of metadata once serialised. */
function sampleEvent(orderId: string, i: number): NewEvent {
  const at = new Date(Date.UTC(2026, 0, 5, 9) + i * 60_000).toISOString();
  const keyId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'ProductKeyRevealed',
    data: {
      orderId,
      customerId,
      customerTenantId,
      partnerTenantId,
      line: 1,
      version: '2025',
      language: 'en-us',
      fileType: 'x64',
      sku: 'WS2025-STD',
      keyId,
      fingerprint: `sha256:${keyId.replace(/-/g, '')}${keyId.replace(/-/g, '')}`,
      revealedAt: at,
      revealedBy: { sub: actor.sub, tid: actor.tid, roles: actor.roles },
    },
    metadata: { occurredAt: at, actor, tenantId: customerTenantId, partnerTenantId, correlationId: randomUUID(), causationId: randomUUID(), schemaVersion: 1 },
  };
}

export function sampleEvents(orderId: string, count: number, offset = 0): NewEvent[] {
  return Array.from({ length: count }, (_, i) => sampleEvent(orderId, offset + i));
}
