import { agent, CUSTOMER_ID, CUSTOMER_TENANT, PARTNER } from '../../../domain/src/testing/fixtures';
import { given, NOW } from '../testing/customers';
import type { DestroyKeyMaterial } from './destroy-key-material.decide';

const destroy = (now = NOW, reason = 'offboarded'): DestroyKeyMaterial => ({
  type: 'DestroyKeyMaterial',
  data: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, reason },
  metadata: { actor: agent, now },
});

describe('DestroyKeyMaterial', () => {
  it('records who destroyed the tenant key material, when and why', () => {
    given()
      .when(destroy())
      .then([
        {
          type: 'CustomerKeyMaterialDestroyed',
          data: {
            customerId: CUSTOMER_ID,
            tenantId: CUSTOMER_TENANT,
            partnerTenantId: PARTNER,
            reason: 'offboarded',
            destroyedAt: NOW,
            destroyedBy: { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] },
          },
        },
      ]);
  });

  it('records the instant in canonical UTC form, and refuses one that is not an instant', () => {
    given()
      .when(destroy('2026-03-02T11:00:00+01:00'))
      .then(([e]) => expect(e!.type === 'CustomerKeyMaterialDestroyed' && e!.data.destroyedAt).toBe(NOW));
    given().when(destroy('yesterday')).thenThrows('invalid', 'invalid_date', { field: 'now' });
  });

  it('does not change the registry: the customer stays registered', () => {
    expect(given().when(destroy()).thenState().byId.size).toBe(0);
  });
});
