import { formatPosition, type RecordedEvent } from '@csp/event-store/port';
import { isIndexEntry, isSortablePosition, isSortableTime, isStoredId, sortablePosition, sortableTime } from '@csp/domain';
import type { Projection } from '@csp/projections';
import { keyAccessOf, KEY_ACCESS_EVENT_TYPES, type KeyAccess, type KeyAccessKind } from '../key-access.rules';

/** The kind of access (the one mapping, keyAccessOf). */
export type ActivityKind = KeyAccessKind;

/** One access as the activity log keeps it: what its event records (KeyAccess), by event id, with its position. */
export interface ActivityEntry extends Omit<KeyAccess, 'eventType'> {
  readonly entryId: string;
  /** Global position of the event in the store: the tie-breaker between entries of the same instant. */
  readonly position: string;
}

/**
 * Every query is scoped to one partner, so every index is too: a customer's or customer tenant's
 * index can never hold another partner's entries, and a page needs no filtering after the read.
 */
export const activityIndexes = {
  partner: (partnerTenantId: string) => `partner:${partnerTenantId}`,
  customer: (partnerTenantId: string, customerId: string) => `partner:${partnerTenantId}:customer:${customerId}`,
  customerTenant: (partnerTenantId: string, customerTenantId: string) => `partner:${partnerTenantId}:tenant:${customerTenantId}`,
};

/** Index entries sort by (time, global position): pages are stable and a date range is a key range. */
const activityEntryKey = (at: string, position: bigint, eventId: string) => `${sortableTime(at)}|${sortablePosition(position)}|${eventId}`;
export const entryIdOf = (indexEntry: string) => indexEntry.slice(indexEntry.lastIndexOf('|') + 1);
/** A position in the activity log: an entry of its indexes. */
export const isActivityPosition = (position: string): boolean => isIndexEntry(position, isSortableTime, isSortablePosition, isStoredId);

/** The entry of a key-access event (which events those are, and what each tells: keyAccessOf). */
function entryOf(event: RecordedEvent): ActivityEntry | undefined {
  const access = keyAccessOf(event);
  if (!access) return undefined;
  const { eventType: _type, at, actor, keyFingerprint, linkId, ...where } = access;
  return {
    entryId: event.eventId,
    ...where,
    position: formatPosition(event.position),
    at,
    actor,
    ...(keyFingerprint !== undefined ? { keyFingerprint } : {}),
    ...(linkId !== undefined ? { linkId } : {}),
  };
}

/** Who accessed which key, who issued which link, who downloaded what, and when. */
export const activityLogProjection: Projection = {
  name: 'activity-log',
  eventTypes: new Set(KEY_ACCESS_EVENT_TYPES),
  reads: () => [],
  apply(event) {
    const entry = entryOf(event);
    if (!entry) return [];
    const indexEntry = activityEntryKey(entry.at, event.position.commit, entry.entryId);
    return [
      { op: 'put', key: `entry:${entry.entryId}`, value: entry },
      { op: 'index-add', index: activityIndexes.partner(entry.partnerTenantId), entry: indexEntry },
      { op: 'index-add', index: activityIndexes.customer(entry.partnerTenantId, entry.customerId), entry: indexEntry },
      { op: 'index-add', index: activityIndexes.customerTenant(entry.partnerTenantId, entry.customerTenantId), entry: indexEntry },
    ];
  },
};
