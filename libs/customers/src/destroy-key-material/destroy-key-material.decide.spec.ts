import { agent, PARTNER } from '../../../domain/src/testing/fixtures';
import { evolveCustomerRegistry, initialCustomerRegistryState } from '../customer.events';
import { contoso, given, NOW, TENANT } from '../testing/customers';
import type { DestroyKeyMaterial } from './destroy-key-material.decide';

/** The destruction of Contoso's key material, naming the customer as the registry holds it (the handler finds it there). */
const destroy = (now = NOW, reason = 'offboarded'): DestroyKeyMaterial => ({
  type: 'DestroyKeyMaterial',
  data: { customerId: 'c-1', tenantId: TENANT, partnerTenantId: PARTNER, reason },
  metadata: { actor: agent, now },
});

describe('DestroyKeyMaterial', () => {
  it('records who destroyed the tenant key material, when and why', () => {
    given(contoso)
      .when(destroy())
      .then([
        {
          type: 'CustomerKeyMaterialDestroyed',
          data: {
            customerId: 'c-1',
            tenantId: TENANT,
            partnerTenantId: PARTNER,
            reason: 'offboarded',
            destroyedAt: NOW,
            destroyedBy: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] },
          },
        },
      ]);
  });

  it('records the instant in canonical UTC form, and refuses one that is not an instant', () => {
    given(contoso)
      .when(destroy('2026-03-02T11:00:00+01:00'))
      .then(([e]) => expect(e!.type === 'CustomerKeyMaterialDestroyed' && e!.data.destroyedAt).toBe(NOW));
    given(contoso).when(destroy('yesterday')).thenThrows('invalid', 'invalid_date', { field: 'now' });
  });

  it('does not change the registry: the customer stays registered', () => {
    expect(given(contoso).when(destroy()).thenState()).toEqual(contoso.reduce(evolveCustomerRegistry, initialCustomerRegistryState));
  });
});
