import { accessedBy, instantMs, isoOf, type Command } from '@csp/domain';
import type { CustomerKeyMaterialDestroyed } from '../customer.events';

/**
 * Crypto-shredding of a customer tenant's product keys (offboarding, a legal request). The caller
 * names the customer as it found it (who may act on it is the application's check) and destroys
 * the tenant's data key; this records who did it, when and why.
 */
export type DestroyKeyMaterial = Command<'DestroyKeyMaterial', { customerId: string; tenantId: string; partnerTenantId: string; reason: string }>;

export function decideKeyMaterialDestruction(command: DestroyKeyMaterial): CustomerKeyMaterialDestroyed[] {
  const { customerId, tenantId, partnerTenantId, reason } = command.data;
  const { now } = command.metadata;
  return [
    {
      type: 'CustomerKeyMaterialDestroyed',
      data: {
        customerId,
        tenantId,
        partnerTenantId,
        reason,
        destroyedAt: isoOf(instantMs(now, 'now')),
        destroyedBy: accessedBy(command),
      },
    },
  ];
}
