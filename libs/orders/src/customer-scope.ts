import { assertAllowed, type CommandContext } from '@csp/application';
import type { CustomersQueries } from '@csp/customers';

/**
 * A customer's software list and order history are answered only to callers who may see that
 * customer with the query's action: 404 for another partner's customer (or none), 403 for a role
 * that never may. Whose customer it is, the customers read model says.
 */
export async function assertCustomerInScope(customers: CustomersQueries, context: CommandContext, customerId: string, action: 'software.read' | 'order.read') {
  const customer = await customers.customer(customerId);
  assertAllowed(action, context.actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
}
