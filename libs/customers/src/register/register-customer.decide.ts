import { conflict, instantMs, invalid, isoOf, parseId, type Command, type Markets } from '@csp/domain';
import type { CustomerEvent, CustomerRegistryState } from '../customer.events';
import { normaliseDomain } from '../customer.rules';

export type RegisterCustomer = Command<
  'RegisterCustomer',
  { customerId: string; tenantId: string; partnerTenantId: string; name: string; domain: string; market: string }
>;

/** The reference data registration needs: which market codes exist. */
export interface CustomerRegistryEnvironment {
  readonly markets: Markets;
}

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function decideCustomerRegistry(command: RegisterCustomer, state: CustomerRegistryState, env: CustomerRegistryEnvironment): CustomerEvent[] {
  const { customerId, partnerTenantId } = command.data;
  const registeredAt = isoOf(instantMs(command.metadata.now, 'now'));
  // Directory tenant ids are GUIDs; kept lower-case so that one tenant cannot be registered twice by case.
  const tenantId = parseId(command.data.tenantId.trim());
  const name = command.data.name.trim();
  const domain = normaliseDomain(command.data.domain);
  const market = command.data.market.trim().toUpperCase();
  if (name === '') throw invalid('invalid_name', 'name must not be empty', { field: 'name' });
  if (!DOMAIN.test(domain)) throw invalid('invalid_domain', `"${command.data.domain}" is not a domain name`, { field: 'domain' });
  // Officially assigned codes only: user-assigned ones (XX, ZZ, QQ…) and unassigned ones name no country.
  if (!env.markets.isAssigned(market))
    throw invalid('invalid_market', 'market must be an officially assigned ISO 3166-1 alpha-2 country code', { field: 'market' });
  if (!tenantId) throw invalid('invalid_tenant_id', 'tenantId must be a GUID', { field: 'tenantId' });
  if (state.byTenant.has(tenantId)) {
    throw conflict('customer_tenant_exists', 'A customer with this tenant id is already registered', { field: 'tenantId' });
  }
  if (state.byDomain.has(domain)) throw conflict('customer_domain_exists', 'A customer with this domain is already registered', { field: 'domain' });
  if (state.byId.has(customerId)) throw conflict('customer_exists', 'This customer is already registered');
  return [
    {
      type: 'CustomerRegistered',
      data: { customerId, tenantId, partnerTenantId, name, domain, market, registeredAt },
    },
  ];
}
