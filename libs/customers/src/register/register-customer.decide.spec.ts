import { PARTNER } from '../../../domain/src/testing/fixtures';
import { contoso, given, NOW, register, TENANT } from '../testing/customers';

const other = { customerId: 'c-2', tenantId: 'bbbbbbbb-0000-4000-8000-000000000002', domain: 'fabrikam.example' };

describe('RegisterCustomer', () => {
  it('registers a customer with a trimmed name, a lower-case domain and tenant id, and an upper-case market', () => {
    given()
      .when(register())
      .then([
        {
          type: 'CustomerRegistered',
          data: { customerId: 'c-1', tenantId: TENANT, partnerTenantId: PARTNER, name: 'Contoso', domain: 'contoso.example', market: 'FR', registeredAt: NOW },
        },
      ]);
  });

  it('records the registration instant in canonical UTC form', () => {
    given()
      .when(register({}, '2026-03-02T11:00:00+01:00'))
      .then(([e]) => expect(e!.type === 'CustomerRegistered' && e!.data.registeredAt).toBe(NOW));
    given().when(register({}, 'now')).thenThrows('invalid', 'invalid_date', { field: 'now' });
  });

  it('refuses a tenant id the partner already registered, whatever its case', () => {
    given(contoso)
      .when(register({ ...other, tenantId: TENANT }))
      .thenThrows('conflict', 'customer_tenant_exists', { field: 'tenantId' });
    given(contoso)
      .when(register({ ...other, tenantId: TENANT.toUpperCase() }))
      .thenThrows('conflict', 'customer_tenant_exists');
  });

  it('refuses a domain the partner already registered, whatever its case', () => {
    given(contoso)
      .when(register({ ...other, domain: 'CONTOSO.example' }))
      .thenThrows('conflict', 'customer_domain_exists', { field: 'domain' });
  });

  it('refuses a customer id registered already', () => {
    given(contoso)
      .when(register({ tenantId: other.tenantId, domain: other.domain }))
      .thenThrows('conflict', 'customer_exists');
  });

  it('registers another customer with its own tenant id and domain', () => {
    given(contoso)
      .when(register(other))
      .then((events) => expect(events).toHaveLength(1));
  });

  const label = (n: number) => 'a'.repeat(n);
  it.each([
    [{ market: 'FRA' }, 'invalid_market', 'market'],
    [{ market: '12' }, 'invalid_market', 'market'],
    [{ market: '' }, 'invalid_market', 'market'],
    // Shaped like codes, but user-assigned (AA, QM–QZ, XA–XZ, ZZ) or assigned to no country.
    [{ market: 'XX' }, 'invalid_market', 'market'],
    [{ market: 'ZZ' }, 'invalid_market', 'market'],
    [{ market: 'QQ' }, 'invalid_market', 'market'],
    [{ market: 'AA' }, 'invalid_market', 'market'],
    [{ market: 'XK' }, 'invalid_market', 'market'],
    [{ market: 'EU' }, 'invalid_market', 'market'],
    [{ market: 'UK' }, 'invalid_market', 'market'],
    [{ market: 'YU' }, 'invalid_market', 'market'],
    [{ market: 'OO' }, 'invalid_market', 'market'],
    [{ market: 'F1' }, 'invalid_market', 'market'],
    [{ domain: 'localhost' }, 'invalid_domain', 'domain'],
    [{ domain: 'bad domain.example' }, 'invalid_domain', 'domain'],
    [{ domain: 'bad_domain.example' }, 'invalid_domain', 'domain'],
    [{ domain: '-x.example' }, 'invalid_domain', 'domain'],
    [{ domain: 'contoso..example' }, 'invalid_domain', 'domain'],
    [{ domain: `${label(64)}.example` }, 'invalid_domain', 'domain'],
    [{ domain: `${[label(63), label(63), label(63), label(59)].join('.')}.ab` }, 'invalid_domain', 'domain'], // 254 characters
    [{ domain: '' }, 'invalid_domain', 'domain'],
    [{ name: '   ' }, 'invalid_name', 'name'],
    [{ tenantId: 'contoso' }, 'invalid_tenant_id', 'tenantId'],
    [{ tenantId: 'aaaaaaaa-0000-4000-8000-00000000000' }, 'invalid_tenant_id', 'tenantId'],
  ])('refuses %p', (over, code, field) => {
    given().when(register(over)).thenThrows('invalid', code, { field });
  });

  it('accepts every officially assigned market, whatever its case', () => {
    for (const market of ['AX', 'BQ', 'SS', 'TW', 'ps', ' eh ']) {
      given()
        .when(register({ market }))
        .then(([e]) => expect(e!.type === 'CustomerRegistered' && e!.data.market).toBe(market.trim().toUpperCase()));
    }
  });

  it('accepts a 253-character domain and labels of 63 characters', () => {
    const longest = `${[label(63), label(63), label(63), label(58)].join('.')}.ab`;
    expect(longest).toHaveLength(253);
    given()
      .when(register({ domain: longest }))
      .then(([e]) => expect(e!.type === 'CustomerRegistered' && e!.data.domain).toBe(longest));
    given()
      .when(register({ domain: 'xn--bcher-kva.example' }))
      .then((events) => expect(events).toHaveLength(1));
  });
});
