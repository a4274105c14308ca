import { agent, markets, PARTNER } from '../../../domain/src/testing/fixtures';
import { deciderSpec } from '../../../domain/src/testing/given-when-then';
import { evolveCustomerRegistry, initialCustomerRegistryState, type CustomerEvent, type CustomerRegistryState } from '../customer.events';
import { decideKeyMaterialDestruction, type DestroyKeyMaterial } from '../destroy-key-material/destroy-key-material.decide';
import { decideCustomerRegistry, type RegisterCustomer } from '../register/register-customer.decide';

/** Command builders shared by the customer registry specs, and their given/when/then over the registry. */

/** The registry's commands, each decided as its handler decides it, with the shipped markets. */
export const given = deciderSpec<CustomerRegistryState, RegisterCustomer | DestroyKeyMaterial, CustomerEvent>({
  initialState: initialCustomerRegistryState,
  decide: (command, state) =>
    command.type === 'RegisterCustomer' ? decideCustomerRegistry(command, state, { markets }) : decideKeyMaterialDestruction(command),
  evolve: evolveCustomerRegistry,
});

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
