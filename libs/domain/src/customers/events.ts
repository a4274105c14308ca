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

/**
 * The customer tenant's data key was destroyed (crypto-shredding): every product key encrypted
 * for the tenant is unreadable from now on; fingerprints and the audit trail stay.
 */
export type CustomerKeyMaterialDestroyed = DomainEvent<
  'CustomerKeyMaterialDestroyed',
  {
    customerId: string;
    tenantId: string;
    partnerTenantId: string;
    reason: string;
    destroyedAt: string;
    destroyedBy: { sub: string; tid: string; roles: string[] };
  }
>;

export type CustomerEvent = CustomerRegistered | CustomerKeyMaterialDestroyed;
