import type { DomainEvent } from '../shared/command';

/** Stream: `customers-<partnerTenantId>`, the partner's customer registry (uniqueness boundary). */
export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  {
    customerId: string;
    tenantId: string;
    partnerTenantId: string;
    name: string;
    /** Lower-cased primary domain name. */
    domain: string;
    /** ISO 3166-1 alpha-2, upper case. */
    market: string;
    registeredAt: string;
  }
>;

export type CustomerEvent = CustomerRegistered;
