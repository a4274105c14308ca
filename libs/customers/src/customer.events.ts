import type { DomainEvent } from '@csp/domain';
import { normaliseDomain } from './customer.rules';

// The customers' events are published: the event-contract generator reads their TSDoc from this
// file (PUBLISHED_EVENT_FILES, apps/cli/src/docs/event-contract.ts) into docs/events.md and
// docs/schemas/. Below them, the partner's registry they build.

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

export type Customer = Omit<CustomerRegistered['data'], 'registeredAt'> & { readonly registeredAt: string };

/** A partner's customers, indexed by the keys that must stay unique within the partner. */
export interface CustomerRegistryState {
  readonly byId: ReadonlyMap<string, Customer>;
  readonly byTenant: ReadonlyMap<string, string>;
  readonly byDomain: ReadonlyMap<string, string>;
}

export const initialCustomerRegistryState: CustomerRegistryState = { byId: new Map(), byTenant: new Map(), byDomain: new Map() };

/**
 * Folds events into a registry without touching `state`: the maps are copied once per call, not
 * once per event. Folding a partner's registry event by event copied every map at every
 * registration, so a cold load of n customers cost O(n²): 2.2 s for 5,000 customers and 54 s for
 * 20,000 (`npm run bench -- registry`).
 */
export function foldCustomerRegistry(state: CustomerRegistryState, events: readonly CustomerEvent[]): CustomerRegistryState {
  const registered = events.filter((event): event is CustomerRegistered => event.type === 'CustomerRegistered');
  if (registered.length === 0) return state;
  const byId = new Map(state.byId);
  const byTenant = new Map(state.byTenant);
  const byDomain = new Map(state.byDomain);
  for (const { data: customer } of registered) {
    byId.set(customer.customerId, customer);
    byTenant.set(customer.tenantId, customer.customerId);
    byDomain.set(customer.domain, customer.customerId);
  }
  return { byId, byTenant, byDomain };
}

export function evolveCustomerRegistry(state: CustomerRegistryState, event: CustomerEvent): CustomerRegistryState {
  return foldCustomerRegistry(state, [event]);
}

/**
 * The partner's registry as a stream model (StreamRepository's StreamModel): registration decides
 * on it, and a purchase or a refund request loads it to find the customer it names.
 */
export const customerRegistryStream = {
  initialState: initialCustomerRegistryState,
  evolve: evolveCustomerRegistry,
  fold: foldCustomerRegistry,
};

export function findCustomer(state: CustomerRegistryState, customerId: string): Customer | undefined {
  return state.byId.get(customerId);
}

export function findCustomerBy(state: CustomerRegistryState, key: { tenantId?: string; domain?: string }): Customer | undefined {
  const id =
    key.tenantId !== undefined
      ? state.byTenant.get(key.tenantId.toLowerCase())
      : key.domain !== undefined
        ? state.byDomain.get(normaliseDomain(key.domain))
        : undefined;
  const customer = id === undefined ? undefined : state.byId.get(id);
  // With both keys given they must name the same customer.
  if (customer && key.tenantId !== undefined && key.domain !== undefined && customer.domain !== normaliseDomain(key.domain)) return undefined;
  return customer;
}
