import { agent, markets, PARTNER } from '../../../domain/src/testing/fixtures';
import { initialCustomerRegistryState } from '../customer.events';
import { decideCustomerRegistry, type RegisterCustomer } from '../register/register-customer.decide';

/** Command builders shared by the customer registry specs. */

export const NOW = '2026-03-02T10:00:00.000Z';
export const TENANT = 'aaaaaaaa-0000-4000-8000-000000000001';

/** Contoso's registration as a partner types it: untrimmed name, mixed-case domain and tenant id, lower-case market. */
export const register = (over: Partial<RegisterCustomer['data']> = {}, now = NOW): RegisterCustomer => ({
  type: 'RegisterCustomer',
  data: { customerId: 'c-1', tenantId: TENANT.toUpperCase(), partnerTenantId: PARTNER, name: ' Contoso ', domain: ' Contoso.Example. ', market: 'fr', ...over },
  metadata: { actor: agent, now },
});

/** The events of Contoso's registration in an empty registry. */
export const contoso = decideCustomerRegistry(register(), initialCustomerRegistryState, { markets });
