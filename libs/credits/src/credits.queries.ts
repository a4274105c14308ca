import { checkedPage, indexPage, invalid, type Money, type PageRequest } from '@csp/domain';
import type { ReadModelStore } from '@csp/projections';
import { creditIdOf, creditIndexes, creditTotalsKey, isCreditPosition, type CreditView } from './credits.projection';

export interface CreditQuery extends PageRequest {
  readonly partnerTenantId?: string;
  readonly customerId?: string;
  /** YYYY-MM: the invoice month. */
  readonly month?: string;
}

export interface CreditsAnswer {
  /** A page of the selection, by invoice month then credit id. */
  readonly items: CreditView[];
  /** Per currency, over the whole selection (every page of it), not the page alone. */
  readonly totals: Money[];
  /** The last credit of the page, when more follow. */
  readonly nextCursor?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The index holding exactly the selection: no credit read is left out afterwards, so a page is always full. */
function selectionIndex({ partnerTenantId, customerId }: CreditQuery): string {
  if (customerId !== undefined)
    return partnerTenantId !== undefined ? creditIndexes.partnerCustomer(partnerTenantId, customerId) : creditIndexes.customer(customerId);
  return partnerTenantId !== undefined ? creditIndexes.partner(partnerTenantId) : creditIndexes.all;
}

/** The credits read model's answers. Each reads the generation currently pointed at, so a rebuild switching generations never shows a half-built model. */
export class CreditsQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /** A page of the credits by partner, invoice month and customer (each optional), with the totals per currency of them all. */
  async credits(query: CreditQuery = {}): Promise<CreditsAnswer> {
    if (query.month !== undefined && !MONTH.test(query.month)) throw invalid('invalid_month', 'month must be YYYY-MM', { field: 'month' });
    const page = checkedPage(query, isCreditPosition);
    const ns = await this.ns('credits');
    const index = selectionIndex(query);
    // '|' sorts before every character of a credit id, '}' after: the month is a key range.
    const range = query.month !== undefined ? { from: `${query.month}|`, before: `${query.month}}` } : {};
    const [{ entries, nextCursor }, totals] = await Promise.all([
      indexPage(this.store, ns, index, page, range),
      this.store.get(ns, creditTotalsKey(index, query.month)) as Promise<Money[] | undefined>,
    ]);
    const docs = (await this.store.getMany(
      ns,
      entries.map((e) => `credit:${creditIdOf(e)}`),
    )) as (CreditView | undefined)[];
    return {
      items: docs.filter((d): d is CreditView => d !== undefined),
      totals: totals ?? [],
      ...(nextCursor !== undefined ? { nextCursor } : {}),
    };
  }
}
