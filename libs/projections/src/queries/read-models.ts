import type { ReadModelStore } from '../store/port';
import { activityEntryKey, activityIndexes, entryIdOf, type ActivityEntry } from '../read-models/activity-log';
import { creditIdOf, creditIndexes, type CreditView } from '../read-models/credits';
import type { CustomerView } from '../read-models/customers';
import { orderHistoryIndex, type OrderHistoryView } from '../read-models/order-history';
import { customerOrdersIndex, softwareOrderKey, type SoftwareLineView, type SoftwareOrderView } from '../read-models/software-list';
import { sortableTime } from '../projection';

const DAY_MS = 86_400_000;

export interface ActivityQuery {
  readonly partnerTenantId?: string;
  readonly customerId?: string;
  /** Inclusive bounds, ISO-8601. */
  readonly from: string;
  readonly to: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface CreditQuery {
  readonly partnerTenantId?: string;
  readonly customerId?: string;
  /** YYYY-MM */
  readonly month?: string;
}

/** The link as a reader sees it at `now`. */
function linkStatus(link: SoftwareLineView['links'][number], nowMs: number): 'active' | 'expired' | 'exhausted' | 'revoked' {
  if (link.revoked) return 'revoked';
  if (nowMs >= Date.parse(link.expiresAt)) return 'expired';
  if (link.downloads >= link.maxDownloads) return 'exhausted';
  return 'active';
}

/** Queries over the read models. Time-dependent answers (days left, live links) use the given instant. */
export class ReadModels {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  async customer(customerId: string): Promise<CustomerView | undefined> {
    return (await this.store.get(await this.ns('customers'), `customer:${customerId}`)) as CustomerView | undefined;
  }

  async softwareOrders(customerId: string): Promise<SoftwareOrderView[]> {
    const ns = await this.ns('software-list');
    const entries = await this.store.entries(ns, customerOrdersIndex(customerId));
    const orderIds = entries.map((e) => e.slice(e.indexOf('|') + 1));
    return (await this.store.getMany(ns, orderIds.map(softwareOrderKey))).filter((o): o is SoftwareOrderView => o !== undefined);
  }

  /** Every line the customer bought: cancelled lines keep their place, marked, with no key available. */
  async softwareList(customerId: string, now: Date) {
    const nowMs = now.getTime();
    const orders = await this.softwareOrders(customerId);
    const items = orders.flatMap((order) =>
      order.lines.map((line) => {
        const open = line.status === 'active' && line.cancellationDeadline !== undefined && nowMs < Date.parse(line.cancellationDeadline);
        return {
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
          cancellation: {
            eligible: open,
            daysRemaining: open ? Math.ceil((Date.parse(line.cancellationDeadline!) - nowMs) / DAY_MS) : 0,
            ...(line.cancellationDeadline ? { deadline: line.cancellationDeadline } : {}),
          },
          keys: line.keys.map((k) => ({ keyId: k.keyId, version: k.version, language: k.language, fileType: k.fileType, fingerprint: k.fingerprint, status: k.revoked ? 'revoked' : 'active', reveals: k.reveals, ...(k.lastRevealedAt ? { lastRevealedAt: k.lastRevealedAt } : {}) })),
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
        };
      }),
    );
    return { customerId, items };
  }

  async orderHistory(customerId: string): Promise<OrderHistoryView[]> {
    const ns = await this.ns('order-history');
    const entries = await this.store.entries(ns, orderHistoryIndex(customerId));
    const docs = await this.store.getMany(ns, entries.map((e) => `order:${e.slice(e.indexOf('|') + 1)}`));
    return docs.filter((d): d is OrderHistoryView => d !== undefined);
  }

  /** A page of the activity log in (time, position) order; `nextCursor` continues it. */
  async activityLog(query: ActivityQuery): Promise<{ items: ActivityEntry[]; nextCursor?: string }> {
    const ns = await this.ns('activity-log');
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const index = query.customerId !== undefined ? activityIndexes.customer(query.customerId) : query.partnerTenantId !== undefined ? activityIndexes.partner(query.partnerTenantId) : activityIndexes.all;
    const from = `${sortableTime(query.from)}|`;
    // `to` is inclusive to the millisecond: stop before the next millisecond's entries.
    const before = `${String(Date.parse(query.to) + 1).padStart(15, '0')}|`;
    const entries = await this.store.entries(ns, index, { from, before, ...(query.cursor ? { after: query.cursor } : {}), limit: limit + 1 });
    const page = entries.slice(0, limit);
    const docs = (await this.store.getMany(ns, page.map((e) => `entry:${entryIdOf(e)}`))) as (ActivityEntry | undefined)[];
    let items = docs.filter((d): d is ActivityEntry => d !== undefined);
    // A customer's index is shared by nobody else, but a partner scope must still hold.
    if (query.partnerTenantId !== undefined) items = items.filter((i) => i.partnerTenantId === query.partnerTenantId);
    return { items, ...(entries.length > limit ? { nextCursor: page[page.length - 1] } : {}) };
  }

  async credits(query: CreditQuery): Promise<{ items: CreditView[]; totals: { amount: number; currency: string }[] }> {
    const ns = await this.ns('credits');
    const index = query.customerId !== undefined ? creditIndexes.customer(query.customerId) : query.partnerTenantId !== undefined ? creditIndexes.partner(query.partnerTenantId) : creditIndexes.all;
    const range = query.month !== undefined ? { from: `${query.month}|`, before: `${query.month}|\uffff` } : {};
    const entries = await this.store.entries(ns, index, range);
    const docs = (await this.store.getMany(ns, entries.map((e) => `credit:${creditIdOf(e)}`))) as (CreditView | undefined)[];
    const items = docs.filter((d): d is CreditView => d !== undefined && (query.partnerTenantId === undefined || d.partnerTenantId === query.partnerTenantId));
    const totals = new Map<string, number>();
    for (const credit of items) totals.set(credit.currency, (totals.get(credit.currency) ?? 0) + credit.amount);
    return { items, totals: [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ amount, currency })) };
  }
}

export { activityEntryKey };
