import type { RecordedEvent } from './port';

/**
 * An event shared between consumers (subscriptions handed the same page), frozen deeply: a
 * consumer that tried to change one would otherwise change what every other consumer sees.
 * Freezing makes such a bug throw where it is, instead.
 */
export function freezeEvent(event: RecordedEvent): RecordedEvent {
  deepFreeze(event.data);
  deepFreeze(event.metadata);
  Object.freeze(event.position);
  return Object.freeze(event);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
