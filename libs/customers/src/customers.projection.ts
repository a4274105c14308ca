import type { CustomerRegistered } from './customer.events';
import type { Projection, RecordedOf } from '@csp/projections';

export type CustomerView = CustomerRegistered['data'];

/** The key of a customer's document. */
export const customerKey = (customerId: string) => `customer:${customerId}`;

/** customerId → the customer, for authorising partners and customer admins on customer routes. */
export const customersProjection: Projection = {
  name: 'customers',
  eventTypes: new Set(['CustomerRegistered']),
  reads: () => [],
  apply(event) {
    if (event.type !== 'CustomerRegistered') return [];
    const customer: CustomerView = (event as RecordedOf<CustomerRegistered>).data;
    return [{ op: 'put', key: customerKey(customer.customerId), value: customer }];
  },
};
