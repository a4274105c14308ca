import { checkedPage, indexPage, invalid, parseDateOrInstant, parseRangeEnd, sortableTime, type PageRequest } from '@csp/domain';
import type { ReadModelStore } from '@csp/projections';
import { activityIndexes, activityLogProjection, entryIdOf, isActivityPosition, type ActivityEntry } from './activity-log.projection';

export interface ActivityQuery extends PageRequest {
  readonly partnerTenantId: string;
  readonly customerId?: string;
  readonly customerTenantId?: string;
  /** Inclusive bounds, ISO-8601 instants with a zone or dates (a date alone as `to` means that whole day, UTC). */
  readonly from: string;
  readonly to: string;
}

export interface ActivityPage {
  readonly items: ActivityEntry[];
  /** Present when more entries follow; opaque to callers. */
  readonly nextCursor?: string;
}

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

/** The activity-log read model's answers. Each reads the generation currently pointed at, so a rebuild switching generations never shows a half-built model. */
export class ActivityLogQueries {
  constructor(private readonly store: ReadModelStore) {}

  /**
   * One page of a partner's activity log between two instants (both inclusive), in (time,
   * position) order. Any range, any age: the page is a key range of an ordered index.
   */
  async activityLog(query: ActivityQuery): Promise<ActivityPage> {
    const fromMs = rangeBound(query.from, 'from');
    const toMs = rangeBound(query.to, 'to');
    const page = checkedPage(query, isActivityPosition);
    if (toMs < fromMs || toMs < 0) return { items: [] };
    const model = activityLogProjection.name;
    const ns = { model, generation: await this.store.currentGeneration(model) };
    const index =
      query.customerId !== undefined
        ? activityIndexes.customer(query.partnerTenantId, query.customerId)
        : query.customerTenantId !== undefined
          ? activityIndexes.customerTenant(query.partnerTenantId, query.customerTenantId)
          : activityIndexes.partner(query.partnerTenantId);
    // `to` is inclusive to the millisecond: stop before the next millisecond's entries.
    const from = `${sortableTime(new Date(Math.max(fromMs, 0)).toISOString())}|`;
    const before = `${sortableTime(new Date(toMs + 1).toISOString())}|`;
    const { entries, nextCursor } = await indexPage(this.store, ns, index, page, { from, before });
    const docs = (await this.store.getMany(
      ns,
      entries.map((e) => `entry:${entryIdOf(e)}`),
    )) as (ActivityEntry | undefined)[];
    const items = docs.filter(
      (d): d is ActivityEntry => d !== undefined && (query.customerTenantId === undefined || d.customerTenantId === query.customerTenantId),
    );
    return { items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }
}
