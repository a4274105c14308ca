import { specFor } from '../testing/given-when-then';
import { agent, PARTNER } from '../testing/fixtures';
import type { CustomerEvent } from './events';
import {
  decideCustomerRegistry,
  evolveCustomerRegistry,
  findCustomer,
  findCustomerBy,
  initialCustomerRegistryState,
  type CustomerRegistryState,
  type RegisterCustomer,
} from './registry';

const spec = specFor<CustomerRegistryState, RegisterCustomer, CustomerEvent>({
  initialState: initialCustomerRegistryState,
  decide: decideCustomerRegistry,
  evolve: evolveCustomerRegistry,
});
const NOW = '2026-03-02T10:00:00.000Z';
const register = (over: Partial<RegisterCustomer['data']> = {}): RegisterCustomer => ({
  type: 'RegisterCustomer',
  data: { customerId: 'c-1', tenantId: 'AAAAAAAA-0000-4000-8000-000000000001', partnerTenantId: PARTNER, name: ' Contoso ', domain: 'Contoso.Example.', market: 'fr', ...over },
  metadata: { actor: agent, now: NOW },
});

describe('customer registry', () => {
  it('registers a customer with a normalised domain, market and tenant id', () => {
    spec().when(register()).then([
      {
        type: 'CustomerRegistered',
        data: { customerId: 'c-1', tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', partnerTenantId: PARTNER, name: 'Contoso', domain: 'contoso.example', market: 'FR', registeredAt: NOW },
      },
    ]);
  });

  it('keeps tenant ids and domains unique within the partner', () => {
    const given = decideCustomerRegistry(register(), initialCustomerRegistryState);
    spec(given).when(register({ customerId: 'c-2', domain: 'other.example' })).thenThrows('conflict', 'customer_tenant_exists', { field: 'tenantId' });
    spec(given).when(register({ customerId: 'c-2', tenantId: 'bbbbbbbb-0000-4000-8000-000000000002', domain: 'CONTOSO.example' })).thenThrows('conflict', 'customer_domain_exists', { field: 'domain' });
    spec(given).when(register({ customerId: 'c-2', tenantId: 'bbbbbbbb-0000-4000-8000-000000000002', domain: 'fabrikam.example' })).then((e) => expect(e).toHaveLength(1));
  });

  it.each([
    [{ market: 'FRA' }, 'invalid_market', 'market'],
    [{ market: '12' }, 'invalid_market', 'market'],
    [{ domain: 'localhost' }, 'invalid_domain', 'domain'],
    [{ domain: 'bad domain.example' }, 'invalid_domain', 'domain'],
    [{ domain: '-x.example' }, 'invalid_domain', 'domain'],
    [{ name: '   ' }, 'invalid_name', 'name'],
  ])('refuses %p', (over, code, field) => {
    spec().when(register(over)).thenThrows('invalid', code, { field });
  });

  it('finds customers by id, tenant id or domain', () => {
    const state = decideCustomerRegistry(register(), initialCustomerRegistryState).reduce(evolveCustomerRegistry, initialCustomerRegistryState);
    expect(findCustomer(state, 'c-1')?.name).toBe('Contoso');
    expect(findCustomerBy(state, { tenantId: 'AAAAAAAA-0000-4000-8000-000000000001' })?.customerId).toBe('c-1');
    expect(findCustomerBy(state, { domain: 'contoso.EXAMPLE' })?.customerId).toBe('c-1');
    expect(findCustomerBy(state, { tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', domain: 'other.example' })).toBeUndefined();
    expect(findCustomerBy(state, {})).toBeUndefined();
  });
});
