import { parseId, parseInstantRange } from '@csp/domain';
import { formatPosition, type RecordedEvent } from '@csp/event-store/port';
import { keyAccessOf, type KeyAccessEventType, type KeyAccessKind } from './key-access.rules';

// The key-access history as auditors ask for it and as their reports hold it: the query (scope and
// range) and one access, flat. The events that make it up, and their kinds, are the one mapping in
// key-access.rules.ts.

/**
 * Which part of the history to replay: at least one scope (combined with AND) and an inclusive
 * time range on the instant of each access (revealedAt, issuedAt, downloadedAt).
 */
export interface AuditQuery {
  readonly partnerTenantId?: string;
  readonly customerId?: string;
  /** The user (token `sub`) who revealed, issued or downloaded. */
  readonly user?: string;
  readonly orderId?: string;
  /** ISO-8601, inclusive. */
  readonly from: string;
  /** ISO-8601, inclusive to the millisecond (as the activity-log API reads it); a date alone means its last millisecond. */
  readonly to: string;
}

export class AuditQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditQueryError';
  }
}

/** The CLI option each part of a query comes from, for messages. */
const OPTION = { partnerTenantId: '--partner', customerId: '--customer', user: '--user', orderId: '--order', from: '--from', to: '--to' } as const;

// The audit CLI's usage says its times are UTC, so a date-time without a zone is read as UTC
// (the API refuses one instead); everything else about the text is parseInstantRange's rule.
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;
const inUtc = (text: string | undefined) => (text !== undefined && ZONELESS.test(text) ? `${text}Z` : text);

/**
 * The query with its instants written in one canonical form (so the same range gives the same
 * report). The range is read as the activity-log API reads it (parseInstantRange: strict ISO-8601,
 * real calendar dates, a date alone as --to meaning that whole day in UTC).
 */
export function normaliseQuery(query: AuditQuery): AuditQuery {
  const range = parseInstantRange(inUtc(query.from), inUtc(query.to));
  if ('problem' in range) {
    const option = OPTION[range.field];
    if (range.problem === 'missing') throw new AuditQueryError(`${option} is required (ISO-8601)`);
    if (range.problem === 'malformed') {
      throw new AuditQueryError(
        `${option} is not a valid instant: ${JSON.stringify(query[range.field])} (give an ISO-8601 date such as 2026-03-31, or a date-time such as 2026-03-31T12:00:00Z)`,
      );
    }
    throw new AuditQueryError(`--from (${query.from}) is after --to (${query.to})`);
  }
  const scope = {
    ...(query.partnerTenantId ? { partnerTenantId: query.partnerTenantId } : {}),
    ...(query.customerId ? { customerId: query.customerId } : {}),
    ...(query.user ? { user: query.user } : {}),
    ...(query.orderId ? { orderId: query.orderId } : {}),
  };
  if (Object.keys(scope).length === 0)
    throw new AuditQueryError('Name what to replay: --partner <tenant id>, --customer <customer id>, --user <sub> and/or --order <order id>');
  return { ...scope, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
}

/**
 * A query as an auditor types it: the ids (partner tenant, customer, order) checked and written in
 * their stored form by the rule every edge of the product applies to ids (parseId: a UUID in either
 * case), so that an id that cannot name anything is refused instead of answering an empty history,
 * then normalised. normaliseQuery alone keeps ids as given (a report's header is replayed as written).
 */
export function parseAuditQuery(query: AuditQuery): AuditQuery {
  const ids: Partial<Record<'partnerTenantId' | 'customerId' | 'orderId', string>> = {};
  for (const [field, what] of [
    ['partnerTenantId', 'a partner tenant id'],
    ['customerId', 'a customer id'],
    ['orderId', 'an order id'],
  ] as const) {
    const text = query[field];
    if (text === undefined) continue;
    const id = parseId(text);
    if (!id) throw new AuditQueryError(`${OPTION[field]} must be ${what} (a UUID), got ${JSON.stringify(text)}`);
    ids[field] = id;
  }
  return normaliseQuery({ ...query, ...ids });
}

/**
 * One access, flat: every value a string, an integer or null, so that the entry has one canonical
 * JSON form and round-trips through CSV exactly. Optional values are null, never empty strings.
 */
export interface KeyAccessEntry {
  /** 1-based number of the entry in its report. */
  seq: number;
  /** Global position in the event store (`<commit>` or `<commit>/<prepare>`). */
  position: string;
  eventId: string;
  eventType: KeyAccessEventType;
  streamId: string;
  revision: number;
  kind: KeyAccessKind;
  at: string;
  actorSub: string | null;
  actorTid: string | null;
  /** The actor's roles joined with `;`. */
  actorRoles: string | null;
  clientIp: string | null;
  clientUserAgent: string | null;
  partnerTenantId: string;
  customerTenantId: string;
  customerId: string;
  orderId: string;
  line: number;
  sku: string;
  version: string;
  language: string;
  fileType: string;
  keyFingerprint: string | null;
  linkId: string | null;
  correlationId: string | null;
}

/** The entry's columns, in report order, with how each is typed. */
export const ENTRY_COLUMNS: readonly { readonly name: keyof KeyAccessEntry; readonly type: 'string' | 'nullable' | 'integer' }[] = [
  { name: 'seq', type: 'integer' },
  { name: 'position', type: 'string' },
  { name: 'eventId', type: 'string' },
  { name: 'eventType', type: 'string' },
  { name: 'streamId', type: 'string' },
  { name: 'revision', type: 'integer' },
  { name: 'kind', type: 'string' },
  { name: 'at', type: 'string' },
  { name: 'actorSub', type: 'nullable' },
  { name: 'actorTid', type: 'nullable' },
  { name: 'actorRoles', type: 'nullable' },
  { name: 'clientIp', type: 'nullable' },
  { name: 'clientUserAgent', type: 'nullable' },
  { name: 'partnerTenantId', type: 'string' },
  { name: 'customerTenantId', type: 'string' },
  { name: 'customerId', type: 'string' },
  { name: 'orderId', type: 'string' },
  { name: 'line', type: 'integer' },
  { name: 'sku', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'language', type: 'string' },
  { name: 'fileType', type: 'string' },
  { name: 'keyFingerprint', type: 'nullable' },
  { name: 'linkId', type: 'nullable' },
  { name: 'correlationId', type: 'nullable' },
];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const roles = (value: unknown): string | null => (Array.isArray(value) && value.length > 0 ? value.map(String).join(';') : null);

/** The access an event records (the one mapping, keyAccessOf), flat and without its report number; undefined for other events. */
export function accessOf(event: RecordedEvent): Omit<KeyAccessEntry, 'seq'> | undefined {
  const access = keyAccessOf(event);
  if (!access) return undefined;
  const { actor } = access;
  return {
    position: formatPosition(event.position),
    eventId: event.eventId,
    eventType: access.eventType,
    streamId: event.streamId,
    revision: Number(event.revision),
    kind: access.kind,
    at: access.at,
    actorSub: text(actor.sub),
    actorTid: text(actor.tid),
    actorRoles: roles(actor.roles),
    clientIp: text(actor.ip),
    clientUserAgent: text(actor.userAgent),
    partnerTenantId: access.partnerTenantId,
    customerTenantId: access.customerTenantId,
    customerId: access.customerId,
    orderId: access.orderId,
    line: access.line,
    sku: access.sku,
    version: access.version,
    language: access.language,
    fileType: access.fileType,
    keyFingerprint: text(access.keyFingerprint),
    linkId: text(access.linkId),
    correlationId: text(event.metadata?.correlationId),
  };
}

/** Whether an access falls in the query's scope and range (`at` compared as instants). */
export function inQuery(query: AuditQuery, access: Pick<KeyAccessEntry, 'partnerTenantId' | 'customerId' | 'actorSub' | 'orderId' | 'at'>): boolean {
  if (query.partnerTenantId !== undefined && access.partnerTenantId !== query.partnerTenantId) return false;
  if (query.customerId !== undefined && access.customerId !== query.customerId) return false;
  if (query.user !== undefined && access.actorSub !== query.user) return false;
  if (query.orderId !== undefined && access.orderId !== query.orderId) return false;
  const at = Date.parse(access.at);
  return at >= Date.parse(query.from) && at <= Date.parse(query.to);
}
