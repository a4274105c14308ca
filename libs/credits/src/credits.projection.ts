import type { CreditIssued } from '@csp/orders';
import type { Projection, RecordedOf } from '@csp/projections';

export type CreditView = CreditIssued['data'];

export const creditIndexes = {
  all: 'all',
  partner: (partnerTenantId: string) => `partner:${partnerTenantId}`,
  /** Customer ids are UUIDs, unique across partners; queries still check the partner of each credit. */
  customer: (customerId: string) => `customer:${customerId}`,
};
/** Entries sort by invoice month: a month is a key prefix. */
const creditEntry = (credit: Pick<CreditView, 'invoiceMonth' | 'creditId'>) => `${credit.invoiceMonth}|${credit.creditId}`;
export const creditIdOf = (entry: string) => entry.slice(entry.indexOf('|') + 1);

/** Every credit, from cancellations and approved refund requests, by invoice month. */
export const creditsProjection: Projection = {
  name: 'credits',
  eventTypes: new Set(['CreditIssued']),
  reads: () => [],
  apply(event) {
    if (event.type !== 'CreditIssued') return [];
    const credit: CreditView = (event as RecordedOf<CreditIssued>).data;
    const entry = creditEntry(credit);
    return [
      { op: 'put', key: `credit:${credit.creditId}`, value: credit },
      { op: 'index-add', index: creditIndexes.all, entry },
      { op: 'index-add', index: creditIndexes.partner(credit.partnerTenantId), entry },
      ...(credit.customerId ? [{ op: 'index-add' as const, index: creditIndexes.customer(credit.customerId), entry }] : []),
    ];
  },
};
