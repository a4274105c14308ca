import type { DownloadLinkIssued, ProductKeyRevealed, SoftwareDownloaded } from '@csp/orders';

/*
 * Which events are a key access, and what each one tells (SPEC §1 "Activity log"): the one
 * mapping, used by the activity-log read model (activity-log/activity-log.projection.ts), the
 * auditors' replay from the event store (key-access-history.rules.ts, replay/, whose verify/
 * compares the two) and the analysts' key access per day (libs/analytics analytics.projection.ts).
 */

/** Each key-access event type and the kind of access it records. */
export const KEY_ACCESS_KINDS = {
  ProductKeyRevealed: 'key-revealed',
  DownloadLinkIssued: 'download-link-issued',
  SoftwareDownloaded: 'software-downloaded',
} as const;

export type KeyAccessEventType = keyof typeof KEY_ACCESS_KINDS;
export type KeyAccessKind = (typeof KEY_ACCESS_KINDS)[KeyAccessEventType];

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
  switch (event.type) {
    case 'ProductKeyRevealed':
      return { ...common, at: event.data.revealedAt, actor: event.data.revealedBy ?? {}, keyFingerprint: event.data.fingerprint };
    case 'DownloadLinkIssued':
      return { ...common, at: event.data.issuedAt, actor: event.data.issuedBy ?? {}, linkId: event.data.linkId };
    case 'SoftwareDownloaded':
      return { ...common, at: event.data.downloadedAt, actor: { ...event.data.client }, linkId: event.data.linkId };
  }
}
