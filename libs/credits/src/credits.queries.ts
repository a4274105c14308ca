import { invalid, totalsByCurrency, type Money } from '@csp/domain';
import type { ReadModelStore } from '@csp/projections';
import { creditIdOf, creditIndexes, type CreditView } from './credits.projection';

export interface CreditQuery {
  readonly partnerTenantId?: string;
  readonly customerId?: string;
  /** YYYY-MM: the invoice month. */
  readonly month?: string;
}

interface CreditTotalsByMonthAndPartner {
  readonly invoiceMonth: string;
  readonly partnerTenantId: string;
  readonly totals: Money[];
}

interface CreditTotalsByCustomer {
  readonly customerId: string;
  readonly totals: Money[];
}

export interface CreditsAnswer {
  readonly items: CreditView[];
  /** Per currency, over the whole selection. */
  readonly totals: Money[];
  readonly byInvoiceMonthAndPartner: CreditTotalsByMonthAndPartner[];
  /** Credits without a customer (a refund request that named none) are in `totals` only. */
  readonly byCustomer: CreditTotalsByCustomer[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The credits read model's answers. Each reads the generation currently pointed at, so a rebuild switching generations never shows a half-built model. */
export class CreditsQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /** Credits by partner, invoice month and customer (each optional), with totals per currency. */
  async credits(query: CreditQuery = {}): Promise<CreditsAnswer> {
    if (query.month !== undefined && !MONTH.test(query.month)) throw invalid('invalid_month', 'month must be YYYY-MM', { field: 'month' });
    const ns = await this.ns('credits');
    const index =
      query.customerId !== undefined
        ? creditIndexes.customer(query.customerId)
        : query.partnerTenantId !== undefined
          ? creditIndexes.partner(query.partnerTenantId)
          : creditIndexes.all;
    // '|' sorts before every character of a credit id, '}' after: the month is a key range.
    const range = query.month !== undefined ? { from: `${query.month}|`, before: `${query.month}}` } : {};
    const entries = await this.store.entries(ns, index, range);
    const docs = (await this.store.getMany(
      ns,
      entries.map((e) => `credit:${creditIdOf(e)}`),
    )) as (CreditView | undefined)[];
    const items = docs.filter((d): d is CreditView => d !== undefined && (query.partnerTenantId === undefined || d.partnerTenantId === query.partnerTenantId));
    const byMonthAndPartner = groupBy(items, (c) => `${c.invoiceMonth}|${c.partnerTenantId}`);
    return {
      items,
      totals: totalsByCurrency(items),
      byInvoiceMonthAndPartner: [...byMonthAndPartner].map(([, credits]) => ({
        invoiceMonth: credits[0]!.invoiceMonth,
        partnerTenantId: credits[0]!.partnerTenantId,
        totals: totalsByCurrency(credits),
      })),
      byCustomer: [...groupBy(items, (c) => c.customerId)].map(([customerId, credits]) => ({ customerId, totals: totalsByCurrency(credits) })),
    };
  }
}
