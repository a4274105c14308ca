import { AuditQueryError, normaliseQuery, parseAuditQuery } from './key-access-history.rules';

const query = normaliseQuery({ partnerTenantId: 'p-1', from: '2026-03-01', to: '2026-03-31' });

describe('audit query', () => {
  it('normalises instants to UTC ISO: a date alone spans the whole day, a time without offset is UTC', () => {
    expect(query).toEqual({ partnerTenantId: 'p-1', from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    expect(normaliseQuery({ user: 'u', from: '2026-03-01T10:00', to: '2026-03-01T12:00:00+02:00' })).toEqual({
      user: 'u',
      from: '2026-03-01T10:00:00.000Z',
      to: '2026-03-01T10:00:00.000Z',
    });
  });

  it('refuses a missing scope, a missing or malformed bound, and a reversed range', () => {
    expect(() => normaliseQuery({ from: '2026-03-01', to: '2026-03-02' })).toThrow(AuditQueryError);
    expect(() => normaliseQuery({ orderId: 'o', from: '', to: '2026-03-02' })).toThrow(/--from is required/);
    expect(() => normaliseQuery({ orderId: 'o', from: 'yesterday', to: '2026-03-02' })).toThrow(/ISO-8601/);
    expect(() => normaliseQuery({ orderId: 'o', from: '2026-02-30T25:00', to: '2026-03-02' })).toThrow(/not a valid instant/);
    expect(() => normaliseQuery({ orderId: 'o', from: '2026-03-03', to: '2026-03-02' })).toThrow(/after --to/);
  });
});

describe('audit query as an auditor types it', () => {
  const PARTNER = '5f0c1e1a-7d3b-4c2e-9a4f-0b6d8e2c1a33';

  it('reads ids in either case as the stored, lower-case id, as the API does', () => {
    expect(
      parseAuditQuery({ partnerTenantId: PARTNER.toUpperCase(), customerId: PARTNER, orderId: PARTNER.toUpperCase(), from: '2026-03-01', to: '2026-03-31' }),
    ).toEqual({
      partnerTenantId: PARTNER,
      customerId: PARTNER,
      orderId: PARTNER,
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-31T23:59:59.999Z',
    });
    expect(parseAuditQuery({ user: 'Agent-1', from: '2026-03-01', to: '2026-03-31' }).user).toBe('Agent-1'); // a sub is not an id: kept as given
  });

  it('refuses what cannot be an id, naming the option, instead of answering an empty history', () => {
    expect(() => parseAuditQuery({ partnerTenantId: 'not-an-id', from: '2026-03-01', to: '2026-03-31' })).toThrow(
      /^--partner must be a partner tenant id \(a UUID\), got "not-an-id"$/,
    );
    expect(() => parseAuditQuery({ customerId: `${PARTNER}x`, from: '2026-03-01', to: '2026-03-31' })).toThrow(/^--customer must be a customer id/);
    expect(() => parseAuditQuery({ orderId: 'o-1', from: '2026-03-01', to: '2026-03-31' })).toThrow(/^--order must be an order id/);
  });

  it('refuses a date that is not in the calendar instead of rolling it over, naming the option', () => {
    expect(() => normaliseQuery({ partnerTenantId: PARTNER, from: '2026-02-01', to: '2026-02-29' })).toThrow(/^--to is not a valid instant: "2026-02-29"/);
    expect(() => normaliseQuery({ partnerTenantId: PARTNER, from: '2026-04-31', to: '2026-05-01' })).toThrow(/^--from is not a valid instant/);
    expect(normaliseQuery({ partnerTenantId: PARTNER, from: '2024-02-01', to: '2024-02-29' }).to).toBe('2024-02-29T23:59:59.999Z');
  });
});
