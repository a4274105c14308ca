import { CUSTOMER_TENANT } from '../../../domain/src/testing/fixtures';
import { agentBy, at, bought, cancel, eventOf, given, H, history, lineOf, material, orderRef, purchase, reveal, sel, stateOf, T0 } from '../testing/orders';
import { keyForSelection } from '../order.state';

describe('RevealKey', () => {
  it('assigns the candidate MAK key to a new selection, then records the audited reveal', () => {
    given(bought)
      .when(reveal(T0))
      .then([
        {
          type: 'ProductKeyAssigned',
          data: { ...orderRef, ...sel(), sku: 'WS-STD', keyId: 'key-1', keyType: 'MAK', fingerprint: 'fp-key-1', material, assignedAt: T0 },
        },
        {
          type: 'ProductKeyRevealed',
          data: { ...orderRef, ...sel(), sku: 'WS-STD', keyId: 'key-1', fingerprint: 'fp-key-1', revealedAt: T0, revealedBy: agentBy },
        },
      ]);
  });

  it('returns the same key for the same selection, ignores the new candidate, and audits every reveal', () => {
    const past = history(purchase(), reveal(T0));
    const customerAdmin = { sub: 'admin@contoso', tid: CUSTOMER_TENANT, roles: ['customer-global-admin'] };
    given(past)
      .when(reveal(at(T0, H), { keyId: 'key-2', actor: customerAdmin }))
      .then([
        {
          type: 'ProductKeyRevealed',
          data: { ...orderRef, ...sel(), sku: 'WS-STD', keyId: 'key-1', fingerprint: 'fp-key-1', revealedAt: at(T0, H), revealedBy: customerAdmin },
        },
      ]);
  });

  it('gives each selection (line, version, language, file type) its own key', () => {
    const past = history(purchase(T0, [lineOf('OFFICE-PP'), lineOf('OFFICE-PP')]), reveal(T0, { version: '2024' }));
    for (const other of [{ line: 2 }, { version: '2021' }, { language: 'fr-fr' }, { fileType: 'x86' }]) {
      given(past)
        .when(reveal(T0, { version: '2024', ...other, keyId: 'key-2' }))
        .then(([assigned]) => expect(eventOf(assigned, 'ProductKeyAssigned').keyId).toBe('key-2'));
    }
  });

  it('exposes the assigned key of a selection so the caller can decrypt it for the answer', () => {
    const state = stateOf(history(purchase(), reveal(T0)));
    expect(keyForSelection(state, sel())).toEqual({ keyId: 'key-1', fingerprint: 'fp-key-1', material, line: 1, revoked: false });
    expect(keyForSelection(state, sel({ language: 'fr-fr' }))).toBeUndefined();
    expect(keyForSelection(stateOf([]), sel())).toBeUndefined();
  });

  describe('downgrade rights', () => {
    it('allow the version sold, n-1 and n-2 with depth 2, and refuse n-3 naming the entitled versions', () => {
      for (const version of ['2025', '2022', '2019'])
        given(bought)
          .when(reveal(T0, { version }))
          .then((events) => expect(events).toHaveLength(2));
      const refusal = given(bought)
        .when(reveal(T0, { version: '2016' }))
        .thenThrows('invalid', 'version_not_entitled', { field: 'version', entitledVersions: ['2025', '2022', '2019'] });
      expect(refusal.message).toContain('2025, 2022, 2019');
    });

    it.each([
      { rights: 'n-1 only', depth: 1, sku: 'OFFICE-PP', allowed: '2021', refused: '2019', entitledVersions: ['2024', '2021'] },
      { rights: 'only the version sold', depth: 0, sku: 'ESU', allowed: '2025', refused: '2022', entitledVersions: ['2025'] },
    ])('allow $rights with depth $depth', ({ sku, allowed, refused, entitledVersions }) => {
      const bought = history(purchase(T0, [lineOf(sku)]));
      given(bought)
        .when(reveal(T0, { version: allowed }))
        .then((events) => expect(events).toHaveLength(2));
      given(bought)
        .when(reveal(T0, { version: refused }))
        .thenThrows('invalid', 'version_not_entitled', { entitledVersions });
    });

    it('refuse a version the product never had the same way', () => {
      given(bought)
        .when(reveal(T0, { version: '2030' }))
        .thenThrows('invalid', 'version_not_entitled', { field: 'version' });
    });
  });

  describe('key types', () => {
    it.each([undefined, 'MAK', 'mak', 'Mak'])('accept %p as a MAK request', (keyType) => {
      given(bought)
        .when(reveal(T0, keyType === undefined ? {} : { keyType }))
        .then(([assigned]) => expect(eventOf(assigned, 'ProductKeyAssigned').keyType).toBe('MAK'));
    });

    it.each(['KMS', 'kms', 'Kms'])('refuse %p with a message saying CSP activates with MAK keys', (keyType) => {
      const refusal = given(bought).when(reveal(T0, { keyType })).thenThrows('invalid', 'kms_not_available', { field: 'keyType' });
      expect(refusal.message).toMatch(/MAK/);
      expect(refusal.message).toMatch(/KMS keys are not available/);
    });

    it.each(['retail', 'OEM', ''])('refuse any other key type %p', (keyType) => {
      given(bought).when(reveal(T0, { keyType })).thenThrows('invalid', 'invalid_key_type', { field: 'keyType' });
    });
  });

  // An unknown line, language or file type, and an order that does not exist: order.rules.spec.ts.

  it('refuses a cancelled line, while the order’s other lines keep their keys', () => {
    const past = history(purchase(T0, [lineOf('WS-STD'), lineOf('WS-STD')]), reveal(T0), cancel(at(T0, H), [1]));
    given(past)
      .when(reveal(at(T0, 2 * H)))
      .thenThrows('conflict', 'line_cancelled', { line: 1 });
    given(past)
      .when(reveal(at(T0, 2 * H), { line: 2 }))
      .then((events) => expect(events).toHaveLength(2));
    expect(keyForSelection(stateOf(past), sel())?.revoked).toBe(true);
  });
});
