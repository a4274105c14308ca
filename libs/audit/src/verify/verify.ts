import { comparePositions, formatPosition, parsePosition, type EventStore, type Position } from '@csp/event-store';
import type { CustomersQueries } from '@csp/customers';
import type { ActivityEntry } from '../activity-log/activity-log.projection';
import type { ActivityLogQueries } from '../activity-log/activity-log.queries';
import { normaliseQuery, type AuditQuery, type KeyAccessEntry } from '../key-access-history.rules';
import { replayKeyAccess, type ReplayOptions } from '../replay/replay';

/** What verify reads of the read side, through the queries the API serves: the activity log, and the partner of a customer (the customers read model). */
export type VerifiedReadModels = Pick<ActivityLogQueries, 'activityLog'> & Pick<CustomersQueries, 'customer'>;

/** The fields the activity-log read model keeps of each access, compared one by one. */
export const COMPARED_FIELDS = [
  'kind',
  'at',
  'actorSub',
  'actorTid',
  'actorRoles',
  'clientIp',
  'clientUserAgent',
  'partnerTenantId',
  'customerTenantId',
  'customerId',
  'orderId',
  'line',
  'sku',
  'version',
  'language',
  'fileType',
  'keyFingerprint',
  'linkId',
  'position',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];
type Compared = Record<ComparedField, string | number | null>;

export type Difference =
  /** The event store has the access; the read model does not show it. */
  | { readonly kind: 'missing-in-read-model'; readonly entryId: string; readonly replay: Compared }
  /** The read model shows an access the event store does not have (in this scope and range). */
  | { readonly kind: 'extra-in-read-model'; readonly entryId: string; readonly readModel: Compared }
  /** Both have it, but they disagree on these fields. */
  | {
      readonly kind: 'field-mismatch';
      readonly entryId: string;
      readonly fields: readonly { readonly field: ComparedField; readonly replay: string | number | null; readonly readModel: string | number | null }[];
    };

export interface VerifyResult {
  readonly query: AuditQuery;
  /** Entries replayed from the event store. */
  readonly replayed: number;
  /** Entries the read model shows for the same scope and range. */
  readonly inReadModel: number;
  /** The event-store position both sides were compared up to. */
  readonly head: string;
  /** In replay order; extra entries last, in read-model order. */
  readonly differences: readonly Difference[];
}

const nullable = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The read model's entry in the replay's terms. */
export function comparableReadModelEntry(entry: ActivityEntry): Compared {
  const actor = entry.actor ?? {};
  return {
    kind: entry.kind,
    at: entry.at,
    actorSub: nullable(actor.sub),
    actorTid: nullable(actor.tid),
    actorRoles: Array.isArray(actor.roles) && actor.roles.length > 0 ? actor.roles.join(';') : null,
    clientIp: nullable(actor.ip),
    clientUserAgent: nullable(actor.userAgent),
    partnerTenantId: entry.partnerTenantId,
    customerTenantId: entry.customerTenantId,
    customerId: entry.customerId,
    orderId: entry.orderId,
    line: entry.line,
    sku: entry.sku,
    version: entry.version,
    language: entry.language,
    fileType: entry.fileType,
    keyFingerprint: nullable(entry.keyFingerprint),
    linkId: nullable(entry.linkId),
    position: entry.position,
  };
}

/** The replayed access in the read model's terms: the whole position, as the read model keeps it (both halves where they differ). */
function comparableReplayEntry(entry: Omit<KeyAccessEntry, 'seq'>): Compared {
  return Object.fromEntries(COMPARED_FIELDS.map((f) => [f, entry[f]])) as Compared;
}

/**
 * Replays the key-access history from the event store and compares it with the activity-log read
 * model, as the API queries it (GET /v1/activity-log), entry by entry and field by field. Both
 * sides are compared up to the same event-store position: read-model entries of later events are
 * left out.
 */
export async function verifyKeyAccess(options: {
  readonly eventStore: EventStore;
  readonly readModels: VerifiedReadModels;
  readonly query: AuditQuery;
  readonly replay?: ReplayOptions;
  readonly onReadModelProgress?: (entries: number) => void;
}): Promise<VerifyResult> {
  const query = normaliseQuery(options.query);
  const head: Position = options.replay?.until ?? (await options.eventStore.headPosition());
  const replayed = new Map<string, Omit<KeyAccessEntry, 'seq'>>();
  for await (const access of replayKeyAccess(options.eventStore, query, { ...options.replay, until: head })) replayed.set(access.eventId, access);

  // The read model, page by page, through the same query the API serves — which is always scoped to one partner.
  // A customer's accesses all belong to its partner: take it from the replay when not given.
  const partnerTenantId =
    query.partnerTenantId ??
    [...replayed.values()][0]?.partnerTenantId ??
    (query.customerId !== undefined ? (await options.readModels.customer(query.customerId))?.partnerTenantId : undefined);
  if (partnerTenantId === undefined && replayed.size > 0) {
    throw new Error('verify compares with the activity log, which is kept per partner: give --partner or --customer');
  }
  const shown = new Map<string, ActivityEntry>();
  let cursor: string | undefined;
  do {
    if (partnerTenantId === undefined) break; // nothing replayed, nothing the read model could show for this scope
    const page = await options.readModels.activityLog({
      partnerTenantId,
      ...(query.customerId !== undefined ? { customerId: query.customerId } : {}),
      from: query.from,
      to: query.to,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const entry of page.items) {
      const position = parsePosition(entry.position);
      if (position && comparePositions(position, head) > 0) continue; // appended after the replay's head
      // The API's index already bounds the range (on the instant it indexed) and the customer or
      // partner; the other scopes are applied here, as a client of the API would.
      const compared = comparableReadModelEntry(entry);
      if (query.user !== undefined && compared.actorSub !== query.user) continue;
      if (query.orderId !== undefined && entry.orderId !== query.orderId) continue;
      if (query.customerId !== undefined && query.partnerTenantId !== undefined && entry.partnerTenantId !== query.partnerTenantId) continue;
      shown.set(entry.entryId, entry);
    }
    options.onReadModelProgress?.(shown.size);
    cursor = page.nextCursor;
  } while (cursor);

  const differences: Difference[] = [];
  for (const [entryId, access] of replayed) {
    const replay = comparableReplayEntry(access);
    const entry = shown.get(entryId);
    if (!entry) {
      differences.push({ kind: 'missing-in-read-model', entryId, replay });
      continue;
    }
    const readModel = comparableReadModelEntry(entry);
    const fields = COMPARED_FIELDS.filter((f) => replay[f] !== readModel[f]).map((field) => ({ field, replay: replay[field], readModel: readModel[field] }));
    if (fields.length > 0) differences.push({ kind: 'field-mismatch', entryId, fields });
  }
  for (const [entryId, entry] of shown) {
    if (!replayed.has(entryId)) differences.push({ kind: 'extra-in-read-model', entryId, readModel: comparableReadModelEntry(entry) });
  }
  return { query, replayed: replayed.size, inReadModel: shown.size, head: formatPosition(head), differences };
}
