import type { RecordedEvent } from '@csp/event-store';
import type { ReadModelOp } from './stores/port';

/**
 * A read model's projection: a pure function of an event and the documents it reads. The runner
 * fetches `reads(event)` (as changed by earlier events of the same batch), calls `apply`, and
 * commits the operations with the checkpoint. Nothing here touches a store, a clock or the network.
 */
export interface Projection {
  readonly name: string;
  /** Event types the projection uses; others only move its checkpoint. */
  readonly eventTypes: ReadonlySet<string>;
  /** Keys of the documents `apply` needs to see for this event. */
  reads(event: RecordedEvent): readonly string[];
  apply(event: RecordedEvent, docs: ReadonlyMap<string, unknown>): ReadModelOp[];
}

const TIME_DIGITS = 15;
const POSITION_DIGITS = 20;

/**
 * Epoch milliseconds as fixed-width digits, so that index entries sort by time as strings. An
 * instant that is not one (or predates 1970) would sort wrongly: refusing it stops the read model
 * on that event instead of misplacing it.
 */
export function sortableTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`"${iso}" is not an ISO-8601 instant after 1970`);
  return String(ms).padStart(TIME_DIGITS, '0');
}

export const sortablePosition = (position: bigint): string => position.toString().padStart(POSITION_DIGITS, '0');

/** The events of an order's life in its own stream, which the order-centred read models follow. */
export const ORDER_LIFE_EVENTS: readonly string[] = [
  'SoftwarePurchased',
  'ProductKeyAssigned',
  'ProductKeyRevealed',
  'DownloadLinkIssued',
  'SoftwareDownloaded',
  'OrderCancelled',
  'ProductKeysRevoked',
  'DownloadLinksRevoked',
];
