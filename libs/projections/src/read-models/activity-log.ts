import type { DownloadLinkIssued, ProductKeyRevealed, SoftwareDownloaded } from '@csp/domain';
import { formatPosition, type RecordedEvent } from '@csp/event-store';
import { sortablePosition, sortableTime, type Projection } from '../projection';

export type ActivityKind = 'key-revealed' | 'download-link-issued' | 'software-downloaded';

export interface ActivityEntry {
  entryId: string;
  kind: ActivityKind;
  at: string;
  actor: { sub?: string; tid?: string; roles?: string[]; ip?: string; userAgent?: string };
  partnerTenantId: string;
  customerId: string;
  customerTenantId: string;
  orderId: string;
  line: number;
  sku: string;
  version: string;
  language: string;
  fileType: string;
  keyFingerprint?: string;
  linkId?: string;
  /** Global position of the event in the store: the tie-breaker between entries of the same instant. */
  position: string;
}

const KINDS: Record<string, ActivityKind> = {
  ProductKeyRevealed: 'key-revealed',
  DownloadLinkIssued: 'download-link-issued',
  SoftwareDownloaded: 'software-downloaded',
};

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
export const activityEntryKey = (at: string, position: bigint, eventId: string) => `${sortableTime(at)}|${sortablePosition(position)}|${eventId}`;
export const entryIdOf = (indexEntry: string) => indexEntry.slice(indexEntry.lastIndexOf('|') + 1);

function entryOf(event: RecordedEvent): ActivityEntry | undefined {
  const kind = KINDS[event.type];
  if (!kind) return undefined;
  const base = event.data as ProductKeyRevealed['data'] | DownloadLinkIssued['data'] | SoftwareDownloaded['data'];
  const common = {
    entryId: event.eventId,
    kind,
    partnerTenantId: base.partnerTenantId,
    customerId: base.customerId,
    customerTenantId: base.customerTenantId,
    orderId: base.orderId,
    line: base.line,
    sku: base.sku,
    version: base.version,
    language: base.language,
    fileType: base.fileType,
    position: formatPosition(event.position),
  };
  switch (event.type) {
    case 'ProductKeyRevealed': {
      const d = event.data as ProductKeyRevealed['data'];
      return { ...common, at: d.revealedAt, actor: d.revealedBy, keyFingerprint: d.fingerprint };
    }
    case 'DownloadLinkIssued': {
      const d = event.data as DownloadLinkIssued['data'];
      return { ...common, at: d.issuedAt, actor: d.issuedBy, linkId: d.linkId };
    }
    default: {
      const d = event.data as SoftwareDownloaded['data'];
      return { ...common, at: d.downloadedAt, actor: { ...d.client }, linkId: d.linkId };
    }
  }
}

/** Who accessed which key, who issued which link, who downloaded what, and when. */
export const activityLogProjection: Projection = {
  name: 'activity-log',
  eventTypes: new Set(Object.keys(KINDS)),
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
