import { instantMs, invalid, lineCancellation, linkStatus, parseDateOrInstant, parseRangeEnd, type LineCancellation, type LinkStatus } from '@csp/domain';
import { activityIndexes, entryIdOf, type ActivityEntry } from '../read-models/activity-log';
import { orderHistoryIndex, type OrderHistoryView } from '../read-models/order-history';
import { customerOrdersIndex, softwareOrderKey, type SoftwareLineView, type SoftwareOrderView } from '../read-models/software-list';
import { sortableTime } from '../projection';
import type { ReadModelStore } from '../stores/port';

/** The service clock, as the read side needs it: time-dependent answers are computed when asked. */
export interface ReadClock {
  now(): Date;
}

export const ACTIVITY_PAGE_DEFAULT = 100;
export const ACTIVITY_PAGE_MAX = 1000;

export interface ActivityQuery {
  readonly partnerTenantId: string;
  readonly customerId?: string;
  readonly customerTenantId?: string;
  /** Inclusive bounds, ISO-8601 instants with a zone or dates (a date alone as `to` means that whole day, UTC). */
  readonly from: string;
  readonly to: string;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** 1 to 1000; default 100. */
  readonly limit?: number;
}

export interface ActivityPage {
  readonly items: ActivityEntry[];
  /** Present when more entries follow; opaque to callers. */
  readonly nextCursor?: string;
}

export type { LinkStatus } from '@csp/domain';

/**
 * A customer as the customers read model keeps it (the data of CustomerRegistered). The model is
 * the customers context's (@csp/customers, which answers its own routes with CustomersQueries);
 * this package cannot import the context, whose projection imports it, so it names the fields the
 * queries below read for the callers not yet moved into their context: the software list's, order
 * history's and activity log's authorisation, and the audit's verify.
 */
interface CustomerView {
  readonly customerId: string;
  readonly tenantId: string;
  readonly partnerTenantId: string;
  readonly name: string;
  readonly domain: string;
  readonly market: string;
  readonly registeredAt: string;
}

/** A line's cancellation eligibility: the decider's rule and reason codes (@csp/domain lineCancellation). */
export type CancellationView = LineCancellation;

export interface SoftwareListItem {
  readonly orderId: string;
  readonly purchasedAt: string;
  readonly taxInclusive: boolean;
  readonly line: number;
  readonly sku: string;
  readonly family: string;
  readonly name: string;
  readonly licenseType: SoftwareLineView['licenseType'];
  readonly termMonths?: number;
  readonly quantity: number;
  readonly amount: number;
  readonly currency: string;
  readonly status: SoftwareLineView['status'];
  readonly cancelledAt?: string;
  readonly keyAvailable: boolean;
  /** The versions the licence covers: the one bought and its downgrade rights, newest first. */
  readonly versions: string[];
  readonly languages: string[];
  readonly fileTypes: string[];
  readonly cancellationClass: SoftwareLineView['cancellationClass'];
  readonly cancellation: CancellationView;
  readonly keys: {
    keyId: string;
    version: string;
    language: string;
    fileType: string;
    fingerprint: string;
    status: 'active' | 'revoked';
    reveals: number;
    lastRevealedAt?: string;
  }[];
  readonly downloadLinks: {
    linkId: string;
    version: string;
    language: string;
    fileType: string;
    issuedAt: string;
    expiresAt: string;
    downloads: number;
    downloadsRemaining: number;
    status: LinkStatus;
  }[];
}

export interface SoftwareList {
  readonly customerId: string;
  readonly items: SoftwareListItem[];
}

/** An activity index entry: sortable time | sortable position | event id. */
const ACTIVITY_CURSOR = /^\d{15}\|\d{20}\|[0-9A-Za-z-]{1,64}$/;

/**
 * A bound of the activity-log range, read as every edge reads one (@csp/domain time.ts): an
 * ISO-8601 instant with a zone, or a date alone — from its first millisecond as `from`, and to its
 * last as `to` (a date alone means that whole day, UTC).
 */
function rangeBound(value: string, field: 'from' | 'to'): number {
  const ms = typeof value !== 'string' ? undefined : field === 'from' ? parseDateOrInstant(value) : parseRangeEnd(value);
  if (ms === undefined) throw invalid('invalid_date', `${field} must be an ISO-8601 date or instant`, { field });
  return ms;
}

/**
 * The queries the API answers from the read models. Each reads the generation currently pointed
 * at, so a rebuild switching generations never shows a half-built model. Answers that depend on
 * time (days left to cancel, whether a link still works) are computed here from the clock.
 */
export class ReadModelQueries {
  constructor(
    private readonly store: ReadModelStore,
    private readonly clock: ReadClock = { now: () => new Date() },
  ) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /** The customers context's document (CustomersQueries answers it there), for the callers named at CustomerView. */
  async customer(customerId: string): Promise<CustomerView | undefined> {
    return (await this.store.get(await this.ns('customers'), `customer:${customerId}`)) as CustomerView | undefined;
  }

  /** The customer's orders as stored, oldest purchase first. */
  async softwareOrders(customerId: string): Promise<SoftwareOrderView[]> {
    const ns = await this.ns('software-list');
    const entries = await this.store.entries(ns, customerOrdersIndex(customerId));
    const orderIds = entries.map((e) => e.slice(e.indexOf('|') + 1));
    return (await this.store.getMany(ns, orderIds.map(softwareOrderKey))).filter((o): o is SoftwareOrderView => o !== undefined);
  }

  /** Every line the customer bought: cancelled lines keep their place, marked, with no key available. */
  async softwareList(customerId: string, now: Date = this.clock.now()): Promise<SoftwareList> {
    const nowMs = now.getTime();
    const orders = await this.softwareOrders(customerId);
    const items = orders.flatMap((order) =>
      order.lines.map((line): SoftwareListItem => ({
        orderId: order.orderId,
        purchasedAt: order.purchasedAt,
        taxInclusive: order.taxInclusive,
        line: line.line,
        sku: line.sku,
        family: line.family,
        name: line.name,
        licenseType: line.licenseType,
        ...(line.termMonths !== undefined ? { termMonths: line.termMonths } : {}),
        quantity: line.quantity,
        amount: line.amount,
        currency: line.currency,
        status: line.status,
        ...(line.cancelledAt ? { cancelledAt: line.cancelledAt } : {}),
        keyAvailable: line.status === 'active',
        versions: line.entitledVersions,
        languages: line.languages,
        fileTypes: line.fileTypes,
        cancellationClass: line.cancellationClass,
        // The eligibility route's answer for this line at this instant (one rule: @csp/domain lineCancellation).
        cancellation: lineCancellation(line, instantMs(line.cancellationDeadline, 'cancellationDeadline'), nowMs),
        keys: line.keys.map((k) => ({
          keyId: k.keyId,
          version: k.version,
          language: k.language,
          fileType: k.fileType,
          fingerprint: k.fingerprint,
          status: k.revoked ? 'revoked' : 'active',
          reveals: k.reveals,
          ...(k.lastRevealedAt ? { lastRevealedAt: k.lastRevealedAt } : {}),
        })),
        downloadLinks: line.links.map((l) => {
          const status = linkStatus(l, nowMs);
          return {
            linkId: l.linkId,
            version: l.version,
            language: l.language,
            fileType: l.fileType,
            issuedAt: l.issuedAt,
            expiresAt: l.expiresAt,
            downloads: l.downloads,
            downloadsRemaining: status === 'active' ? l.maxDownloads - l.downloads : 0,
            status,
          };
        }),
      })),
    );
    return { customerId, items };
  }

  /** The customer's orders, oldest purchase first, each with its status, totals and events. */
  async orderHistory(customerId: string): Promise<OrderHistoryView[]> {
    const ns = await this.ns('order-history');
    const entries = await this.store.entries(ns, orderHistoryIndex(customerId));
    const docs = await this.store.getMany(
      ns,
      entries.map((e) => `order:${e.slice(e.indexOf('|') + 1)}`),
    );
    return docs.filter((d): d is OrderHistoryView => d !== undefined);
  }

  /**
   * One page of a partner's activity log between two instants (both inclusive), in (time,
   * position) order. Any range, any age: the page is a key range of an ordered index.
   */
  async activityLog(query: ActivityQuery): Promise<ActivityPage> {
    const fromMs = rangeBound(query.from, 'from');
    const toMs = rangeBound(query.to, 'to');
    const limit = query.limit ?? ACTIVITY_PAGE_DEFAULT;
    if (!Number.isInteger(limit) || limit < 1 || limit > ACTIVITY_PAGE_MAX)
      throw invalid('invalid_limit', `limit must be a whole number from 1 to ${ACTIVITY_PAGE_MAX}`, { field: 'limit' });
    if (query.cursor !== undefined && !ACTIVITY_CURSOR.test(query.cursor))
      throw invalid('invalid_cursor', 'cursor must be a nextCursor returned by this query', { field: 'cursor' });
    if (toMs < fromMs || toMs < 0) return { items: [] };
    const ns = await this.ns('activity-log');
    const index =
      query.customerId !== undefined
        ? activityIndexes.customer(query.partnerTenantId, query.customerId)
        : query.customerTenantId !== undefined
          ? activityIndexes.customerTenant(query.partnerTenantId, query.customerTenantId)
          : activityIndexes.partner(query.partnerTenantId);
    // `to` is inclusive to the millisecond: stop before the next millisecond's entries.
    const from = `${sortableTime(new Date(Math.max(fromMs, 0)).toISOString())}|`;
    const before = `${sortableTime(new Date(toMs + 1).toISOString())}|`;
    const entries = await this.store.entries(ns, index, { from, before, ...(query.cursor ? { after: query.cursor } : {}), limit: limit + 1 });
    const page = entries.slice(0, limit);
    const docs = (await this.store.getMany(
      ns,
      page.map((e) => `entry:${entryIdOf(e)}`),
    )) as (ActivityEntry | undefined)[];
    const items = docs.filter(
      (d): d is ActivityEntry => d !== undefined && (query.customerTenantId === undefined || d.customerTenantId === query.customerTenantId),
    );
    return { items, ...(entries.length > limit ? { nextCursor: page[page.length - 1] } : {}) };
  }
}
