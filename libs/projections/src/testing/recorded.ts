import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@csp/domain';
import type { RecordedEvent } from '@csp/event-store';

/** Wraps domain events as the store would record them, numbering positions and revisions. */
export function recorder(nextEventId: () => string = randomUUID) {
  let position = 0n;
  const revisions = new Map<string, bigint>();
  return (streamId: string, events: readonly DomainEvent<string, unknown>[], occurredAt = '2026-03-02T10:00:00.000Z'): RecordedEvent[] =>
    events.map((event) => {
      position++;
      const revision = (revisions.get(streamId) ?? -1n) + 1n;
      revisions.set(streamId, revision);
      return {
        eventId: nextEventId(),
        type: event.type,
        streamId,
        revision,
        position: { commit: position, prepare: position },
        data: event.data,
        metadata: { occurredAt, correlationId: 'c', schemaVersion: 1 },
        recordedAt: occurredAt,
      };
    });
}
