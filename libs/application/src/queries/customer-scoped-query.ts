import { Inject } from '@nestjs/common';
import type { ReadSide } from '@csp/projections';
import { assertAllowed, type CommandContext } from '../context';
import { READ_SIDE } from '../tokens';

/**
 * A query about one customer (its software list, its order history), answered only to callers who
 * may see that customer with the query's action: 404 for another partner's customer, 403 for a role
 * that never may. The customer is read from the customers read model.
 */
export abstract class CustomerScopedQuery {
  constructor(@Inject(READ_SIDE) protected readonly readSide: ReadSide) {}

  /** The customer, if the caller may see it with this action; else 404 (or 403 for the role). */
  protected async customerFor(context: CommandContext, customerId: string, action: 'customer.read' | 'software.read' | 'order.read') {
    const customer = await this.readSide.readModels.customer(customerId);
    assertAllowed(action, context.actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    return customer!;
  }
}
