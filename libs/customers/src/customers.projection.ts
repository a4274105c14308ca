import type { CustomerRegistered } from '@csp/domain';
import type { Projection } from '../projection';

export type CustomerView = CustomerRegistered['data'];

/** customerId → the customer, for authorising partners and customer admins on customer routes. */
export const customersProjection: Projection = {
  name: 'customers',
  eventTypes: new Set(['CustomerRegistered']),
  reads: () => [],
  apply(event) {
    if (event.type !== 'CustomerRegistered') return [];
    const customer = event.data as CustomerView;
    return [{ op: 'put', key: `customer:${customer.customerId}`, value: customer }];
  },
};
