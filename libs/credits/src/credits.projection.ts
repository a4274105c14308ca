import { isIndexEntry, isStoredId, totalsByCurrency, type Money } from '@csp/domain';
import type { CreditIssued } from '@csp/orders';
import type { Projection, RecordedOf } from '@csp/projections';

export type CreditView = CreditIssued['data'];

export const creditIndexes = {
  all: 'all',
  partner: (partnerTenantId: string) => `partner:${partnerTenantId}`,
  /** Customer ids are UUIDs, unique across partners; a partner's own filter by customer reads partnerCustomer. */
  customer: (customerId: string) => `customer:${customerId}`,
  /** A partner's customer: the selection of a partner role filtering by customer, which never holds another partner's credits. */
  partnerCustomer: (partnerTenantId: string, customerId: string) => `partner:${partnerTenantId}:customer:${customerId}`,
};

/**
 * The totals per currency (Money[], in currency-code order) of an index's credits, of every month
 * or of one: a selection's totals are read whole, whatever page of it is shown.
 */
export const creditTotalsKey = (index: string, month?: string) => (month === undefined ? `totals:${index}` : `totals:${index}:${month}`);

/** Entries sort by invoice month: a month is a key prefix. */
const creditEntry = (credit: Pick<CreditView, 'invoiceMonth' | 'creditId'>) => `${credit.invoiceMonth}|${credit.creditId}`;
export const creditIdOf = (entry: string) => entry.slice(entry.indexOf('|') + 1);

/** A position in a list of credits: a credit's entry, `<YYYY-MM>|<creditId>` (`<orderId>:<line>` or a refund request id). */
export const isCreditPosition = (position: string): boolean =>
  isIndexEntry(
    position,
    (month) => /^\d{4}-(0[1-9]|1[0-2])$/.test(month),
    (creditId) => isStoredId(creditId) || (/^[^:]+:[1-9]\d*$/.test(creditId) && isStoredId(creditId.slice(0, creditId.indexOf(':')))),
  );

const creditKey = (creditId: string) => `credit:${creditId}`;
const indexesOf = (credit: CreditView) => [
  creditIndexes.all,
  creditIndexes.partner(credit.partnerTenantId),
  ...(credit.customerId ? [creditIndexes.customer(credit.customerId), creditIndexes.partnerCustomer(credit.partnerTenantId, credit.customerId)] : []),
];
const totalsKeysOf = (credit: CreditView) => indexesOf(credit).flatMap((index) => [creditTotalsKey(index), creditTotalsKey(index, credit.invoiceMonth)]);

/** Every credit, from cancellations and approved refund requests, by invoice month, with the totals of every selection. */
export const creditsProjection: Projection = {
  name: 'credits',
  eventTypes: new Set(['CreditIssued']),
  reads: (event) => {
    if (event.type !== 'CreditIssued') return [];
    const credit: CreditView = (event as RecordedOf<CreditIssued>).data;
    return [creditKey(credit.creditId), ...totalsKeysOf(credit)];
  },
  apply(event, docs) {
    if (event.type !== 'CreditIssued') return [];
    const credit: CreditView = (event as RecordedOf<CreditIssued>).data;
    // A credit id is issued once: the same credit seen again must not count twice in the totals.
    if (docs.get(creditKey(credit.creditId)) !== undefined) return [];
    const entry = creditEntry(credit);
    return [
      { op: 'put', key: creditKey(credit.creditId), value: credit },
      ...indexesOf(credit).map((index) => ({ op: 'index-add' as const, index, entry })),
      ...totalsKeysOf(credit).map((key) => ({ op: 'put' as const, key, value: totalsByCurrency([...((docs.get(key) as Money[] | undefined) ?? []), credit]) })),
    ];
  },
};
