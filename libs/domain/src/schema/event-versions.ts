/**
 * The versions of the event contract. Each event type has a schema version, written into every
 * event's metadata (`schemaVersion`). When a payload changes shape, its version goes up by one,
 * the change is described here, and an upcaster turns events stored under the previous version
 * into the current shape when they are read — so deciders and projections only ever see the
 * current shape, and stored events are never rewritten.
 *
 * docs/events.md and docs/schemas/ are generated from this table and from the event types
 * (`npm run docs:events`).
 */

/** One step of an event type's history. */
export interface SchemaChange {
  readonly version: number;
  /** What changed in this version, for the published contract. */
  readonly change: string;
}

export const EVENT_SCHEMA_HISTORY = {
  CustomerRegistered: [{ version: 1, change: 'First version.' }],
  CustomerKeyMaterialDestroyed: [{ version: 1, change: 'First version.' }],
  SoftwarePurchased: [{ version: 1, change: 'First version.' }],
  ProductKeyAssigned: [{ version: 1, change: 'First version.' }],
  ProductKeyRevealed: [{ version: 1, change: 'First version.' }],
  DownloadLinkIssued: [
    { version: 1, change: 'First version. Had no `maxDownloads` field: every link allowed 50 downloads implicitly.' },
    { version: 2, change: 'Added `maxDownloads`, the number of downloads the link allows. Version 1 events are read as version 2 with `maxDownloads: 50`.' },
  ],
  SoftwareDownloaded: [{ version: 1, change: 'First version.' }],
  OrderCancelled: [{ version: 1, change: 'First version.' }],
  ProductKeysRevoked: [{ version: 1, change: 'First version.' }],
  DownloadLinksRevoked: [{ version: 1, change: 'First version.' }],
  CreditIssued: [{ version: 1, change: 'First version.' }],
  RefundRequestSubmitted: [{ version: 1, change: 'First version.' }],
  RefundRequestApproved: [{ version: 1, change: 'First version.' }],
  RefundRequestRejected: [{ version: 1, change: 'First version.' }],
  KeyAccessThrottled: [{ version: 1, change: 'First version.' }],
} as const satisfies Record<string, readonly SchemaChange[]>;

export type EventType = keyof typeof EVENT_SCHEMA_HISTORY;

/** Every event type of the contract, in the order the documentation presents them. */
export const EVENT_TYPES = Object.keys(EVENT_SCHEMA_HISTORY) as EventType[];

export const isEventType = (type: string): type is EventType => Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_HISTORY, type);

/** The schema version written today for an event type (1 for a type the contract does not know). */
export function schemaVersionOf(type: string): number {
  if (!isEventType(type)) return 1;
  const history: readonly SchemaChange[] = EVENT_SCHEMA_HISTORY[type];
  return history[history.length - 1]!.version;
}

/**
 * Turns the payload of an event stored under `fromVersion` into the shape of `fromVersion + 1`.
 * Pure: no I/O, no clock; it may only use what the stored event carries.
 */
export interface Upcaster {
  readonly eventType: EventType;
  readonly fromVersion: number;
  upcast(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** How many downloads a link allowed before the limit was recorded in the event (schema v1). */
export const V1_IMPLICIT_MAX_DOWNLOADS = 50;

/** Every upcaster of the contract. Each (eventType, fromVersion) appears at most once. */
export const EVENT_UPCASTERS: readonly Upcaster[] = [
  {
    eventType: 'DownloadLinkIssued',
    fromVersion: 1,
    // v1 links had no recorded limit: the rule was 50. A value already present is kept.
    upcast: (data) => ('maxDownloads' in data ? { ...data } : { ...data, maxDownloads: V1_IMPLICIT_MAX_DOWNLOADS }),
  },
];
