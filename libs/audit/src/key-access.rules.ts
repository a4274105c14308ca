import type { DataIndex } from '@csp/event-store/port';
import type { DownloadLinkIssued, ProductKeyRevealed, SoftwareDownloaded } from '@csp/orders';

/*
 * Which events are a key access, and what each one tells (SPEC §1 "Activity log"): the one
 * mapping, used by the activity-log read model (activity-log/activity-log.projection.ts), the
 * auditors' replay from the event store (key-access-history.rules.ts, replay/, whose verify/
 * compares the two) and the analysts' key access per day (libs/analytics analytics.projection.ts).
 */

/**
 * Each key-access event type: the kind of access it records, and the fields of its data that hold
 * the instant of the access and who accessed (read by keyAccessOf, and indexed by the event store).
 */
const KEY_ACCESS_EVENTS = {
  ProductKeyRevealed: { kind: 'key-revealed', at: 'revealedAt', actor: 'revealedBy' },
  DownloadLinkIssued: { kind: 'download-link-issued', at: 'issuedAt', actor: 'issuedBy' },
  SoftwareDownloaded: { kind: 'software-downloaded', at: 'downloadedAt', actor: 'client' },
} as const;

export type KeyAccessEventType = keyof typeof KEY_ACCESS_EVENTS;
export type KeyAccessKind = (typeof KEY_ACCESS_EVENTS)[KeyAccessEventType]['kind'];

/** Each key-access event type and the kind of access it records. */
export const KEY_ACCESS_KINDS = Object.fromEntries(Object.entries(KEY_ACCESS_EVENTS).map(([type, { kind }]) => [type, kind])) as {
  readonly [T in KeyAccessEventType]: (typeof KEY_ACCESS_EVENTS)[T]['kind'];
};

/** The events that make up the key-access history, in the order of KEY_ACCESS_KINDS. */
export const KEY_ACCESS_EVENT_TYPES = Object.keys(KEY_ACCESS_KINDS) as readonly KeyAccessEventType[];

export const isKeyAccessEvent = (type: string): type is KeyAccessEventType => Object.prototype.hasOwnProperty.call(KEY_ACCESS_KINDS, type);

/** Who accessed: the user who revealed or issued, or the client that downloaded (as recorded). */
export interface KeyAccessActor {
  readonly sub?: string;
  readonly tid?: string;
  readonly roles?: readonly string[];
  readonly ip?: string;
  readonly userAgent?: string;
}

/** One access, as its event records it. */
export interface KeyAccess {
  readonly eventType: KeyAccessEventType;
  readonly kind: KeyAccessKind;
  /** The event's own instant: revealedAt, issuedAt or downloadedAt. */
  readonly at: string;
  readonly actor: KeyAccessActor;
  readonly partnerTenantId: string;
  readonly customerId: string;
  readonly customerTenantId: string;
  readonly orderId: string;
  readonly line: number;
  readonly sku: string;
  readonly version: string;
  readonly language: string;
  readonly fileType: string;
  /** Only for a reveal. */
  readonly keyFingerprint?: string;
  /** Only for a link issued or a download. */
  readonly linkId?: string;
}

/** The access an event records, or undefined if the event is not a key access. */
export function keyAccessOf(recorded: { readonly type: string; readonly data: unknown }): KeyAccess | undefined {
  if (!isKeyAccessEvent(recorded.type)) return undefined;
  // Its type names one of the three key-access events, whose data it carries.
  const event = recorded as ProductKeyRevealed | DownloadLinkIssued | SoftwareDownloaded;
  const d = event.data;
  const common = {
    eventType: event.type,
    kind: KEY_ACCESS_KINDS[event.type],
    partnerTenantId: d.partnerTenantId,
    customerId: d.customerId,
    customerTenantId: d.customerTenantId,
    orderId: d.orderId,
    line: d.line,
    sku: d.sku,
    version: d.version,
    language: d.language,
    fileType: d.fileType,
  };
  const fields = KEY_ACCESS_EVENTS[event.type];
  const stored = d as unknown as Readonly<Record<string, unknown>>;
  const access = { ...common, at: stored[fields.at] as string, actor: { ...(stored[fields.actor] as KeyAccessActor | undefined) } };
  return event.type === 'ProductKeyRevealed' ? { ...access, keyFingerprint: event.data.fingerprint } : { ...access, linkId: event.data.linkId };
}

/** An index of the key-access events by one field of who or what they concern, and by the instant of the access. */
function keyAccessIndex(name: string, key: (fields: (typeof KEY_ACCESS_EVENTS)[KeyAccessEventType]) => string): DataIndex {
  return {
    name,
    fields: Object.fromEntries(Object.entries(KEY_ACCESS_EVENTS).map(([type, fields]) => [type, { key: key(fields), at: fields.at }])),
  };
}

/**
 * The indexes the event store keeps so that an auditor's replay of one partner, customer or user
 * over a range reads only that history (libs/audit replay), whatever the size of the log. They read
 * the events as stored: an upcaster that moves one of these fields (an instant, partnerTenantId,
 * customerId, the actor's sub) must come with an index that also reads the old place, or the
 * replay through the index would miss the events stored before it.
 */
export const KEY_ACCESS_INDEXES = {
  partnerTenantId: keyAccessIndex('key_access_by_partner', () => 'partnerTenantId'),
  customerId: keyAccessIndex('key_access_by_customer', () => 'customerId'),
  user: keyAccessIndex('key_access_by_user', (fields) => `${fields.actor}.sub`),
} as const;
