import type { DownloadLinkIssued, ProductKeyRevealed, SoftwareDownloaded } from '@csp/domain';
import { formatPosition, type RecordedEvent } from '@csp/event-store';

/** The events that make up the key-access history auditors replay. */
export const KEY_ACCESS_EVENT_TYPES = ['ProductKeyRevealed', 'DownloadLinkIssued', 'SoftwareDownloaded'] as const;
export type KeyAccessEventType = (typeof KEY_ACCESS_EVENT_TYPES)[number];

const KINDS = {
  ProductKeyRevealed: 'key-revealed',
  DownloadLinkIssued: 'download-link-issued',
  SoftwareDownloaded: 'software-downloaded',
} as const;
export type KeyAccessKind = (typeof KINDS)[KeyAccessEventType];

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

/** The query with its instants written in one canonical form (so the same range gives the same report). */
export function normaliseQuery(query: AuditQuery): AuditQuery {
  const instant = (name: 'from' | 'to', value: string | undefined) => {
    if (value === undefined || value.trim() === '') throw new AuditQueryError(`--${name} is required (ISO-8601)`);
    if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) throw new AuditQueryError(`--${name} must be an ISO-8601 date or instant, got ${JSON.stringify(value)}`);
    // A date-time without an offset is UTC here (JavaScript would read it in the machine's zone);
    // a date alone means the whole day: from its first millisecond, to its last.
    let trimmed = value.trim().replace(' ', 'T');
    if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) trimmed = `${trimmed}T${name === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`;
    const ms = Date.parse(/T/.test(trimmed) && !/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? `${trimmed}Z` : trimmed);
    if (Number.isNaN(ms)) throw new AuditQueryError(`--${name} is not a valid instant: ${JSON.stringify(value)}`);
    return new Date(ms).toISOString();
  };
  const from = instant('from', query.from);
  const to = instant('to', query.to);
  if (from > to) throw new AuditQueryError(`--from (${from}) is after --to (${to})`);
  const scope = {
    ...(query.partnerTenantId ? { partnerTenantId: query.partnerTenantId } : {}),
    ...(query.customerId ? { customerId: query.customerId } : {}),
    ...(query.user ? { user: query.user } : {}),
    ...(query.orderId ? { orderId: query.orderId } : {}),
  };
  if (Object.keys(scope).length === 0) throw new AuditQueryError('Name what to replay: --partner <tenant id>, --customer <customer id>, --user <sub> and/or --order <order id>');
  return { ...scope, from, to };
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

/** The access an event records, without its report number; undefined for other events. */
export function accessOf(event: RecordedEvent): Omit<KeyAccessEntry, 'seq'> | undefined {
  if (!(KEY_ACCESS_EVENT_TYPES as readonly string[]).includes(event.type)) return undefined;
  const type = event.type as KeyAccessEventType;
  const d = event.data as ProductKeyRevealed['data'] & DownloadLinkIssued['data'] & SoftwareDownloaded['data'];
  let at: string;
  let actor: { sub?: string; tid?: string; roles?: readonly string[]; ip?: string; userAgent?: string };
  switch (type) {
    case 'ProductKeyRevealed':
      at = d.revealedAt;
      actor = d.revealedBy ?? {};
      break;
    case 'DownloadLinkIssued':
      at = d.issuedAt;
      actor = d.issuedBy ?? {};
      break;
    default:
      at = d.downloadedAt;
      actor = d.client ?? {};
  }
  return {
    position: formatPosition(event.position),
    eventId: event.eventId,
    eventType: type,
    streamId: event.streamId,
    revision: Number(event.revision),
    kind: KINDS[type],
    at,
    actorSub: text(actor.sub),
    actorTid: text(actor.tid),
    actorRoles: roles(actor.roles),
    clientIp: text(actor.ip),
    clientUserAgent: text(actor.userAgent),
    partnerTenantId: d.partnerTenantId,
    customerTenantId: d.customerTenantId,
    customerId: d.customerId,
    orderId: d.orderId,
    line: d.line,
    sku: d.sku,
    version: d.version,
    language: d.language,
    fileType: d.fileType,
    keyFingerprint: type === 'ProductKeyRevealed' ? text(d.fingerprint) : null,
    linkId: type === 'ProductKeyRevealed' ? null : text(d.linkId),
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
