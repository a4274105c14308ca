import { invalid, parseDateOrInstant, parseRangeEnd } from '@csp/domain';
import { activityIndexes, entryIdOf, type ActivityEntry } from '../read-models/activity-log';
import type { CustomerView } from '../read-models/customers';
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
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  async customer(customerId: string): Promise<CustomerView | undefined> {
    return (await this.store.get(await this.ns('customers'), `customer:${customerId}`)) as CustomerView | undefined;
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
