import type { DomainEvent } from '../shared/command';

/**
 * A partner registered a customer: from now on the partner may buy software on its behalf. The
 * customer's tenant id and primary domain are unique among the partner's customers.
 *
 * @stream customers-<partnerTenantId> — the partner's customer registry, the boundary inside which tenant ids and domains are unique
 */
export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  {
    /** The product's id of the customer (UUID), used in API paths. */
    customerId: string;
    /** The customer's own Microsoft Entra tenant id (GUID); its administrators sign in with it. */
    tenantId: string;
    /** The tenant id of the partner that registered the customer and sells to it. */
    partnerTenantId: string;
    /** Display name. */
    name: string;
    /** Lower-cased primary domain name. */
    domain: string;
    /** ISO 3166-1 alpha-2, upper case. */
    market: string;
    /** ISO-8601 UTC instant of the registration (service clock). */
    registeredAt: string;
  }
>;

/**
 * The customer tenant's data key was destroyed (crypto-shredding): every product key encrypted
 * for the tenant is unreadable from now on; fingerprints and the audit trail stay.
 *
 * @stream customers-<partnerTenantId> — the partner's customer registry
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
