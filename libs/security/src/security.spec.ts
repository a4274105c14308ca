import { createHmac, randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import type { Actor } from '@csp/domain';
import { authorize, mayAttempt, POLICY, scopeOf, type Action } from './policy';
import { fingerprintProductKey, generateProductKey, keyIdOf, ProductKeyVault } from './product-key-vault';
import { hashLinkSecret, newLinkToken, parseLinkToken } from './download-link-token';
import { TokenVerifier, UnauthenticatedError } from './token-verifier';

const partner = randomUUID();
const customer = randomUUID();
const actor = (roles: string[], tid: string = partner): Actor => ({ sub: 'u', tid, roles });
const resource = { partnerTenantId: partner, customerTenantId: customer };

describe('policy table', () => {
  // Expected decisions on a resource of `partner` for `customer`: the SPEC's role rules in one table.
  const table: [Action, string, string, 'allow' | 'forbidden' | 'not-found'][] = [
    ['order.purchase', 'admin-agent', partner, 'allow'],
    ['order.purchase', 'admin-agent', randomUUID(), 'not-found'],
    ['order.purchase', 'global-admin', partner, 'forbidden'],
    ['order.purchase', 'customer-global-admin', customer, 'forbidden'],
    ['order.revealKey', 'admin-agent', partner, 'allow'],
    ['order.revealKey', 'customer-global-admin', customer, 'allow'],
    ['order.revealKey', 'customer-global-admin', randomUUID(), 'not-found'],
    ['order.revealKey', 'global-admin', partner, 'forbidden'],
    ['order.revealKey', 'analyst', partner, 'forbidden'],
    ['order.cancel', 'admin-agent', partner, 'allow'],
    ['order.cancel', 'global-admin', partner, 'forbidden'],
    ['order.cancel', 'customer-global-admin', customer, 'forbidden'],
    ['activityLog.read', 'global-admin', partner, 'allow'],
    ['activityLog.read', 'account-admin', partner, 'allow'],
    ['activityLog.read', 'referral-admin', partner, 'allow'],
    ['activityLog.read', 'marketing-content-admin', partner, 'allow'],
    ['activityLog.read', 'admin-agent', partner, 'forbidden'],
    ['activityLog.read', 'customer-global-admin', customer, 'forbidden'],
    ['credits.read', 'analyst', randomUUID(), 'allow'],
    ['credits.read', 'back-office', randomUUID(), 'allow'],
    ['credits.read', 'global-admin', partner, 'allow'],
    ['credits.read', 'account-admin', randomUUID(), 'not-found'],
    ['credits.read', 'admin-agent', partner, 'forbidden'],
    ['refundRequest.decide', 'back-office', randomUUID(), 'allow'],
    ['refundRequest.decide', 'admin-agent', partner, 'forbidden'],
    ['catalog.read', 'anything-at-all', randomUUID(), 'allow'],
  ];
  it.each(table)('%s by %s → %s', (action, role, tid, expected) => {
    expect(authorize(action, actor([role], tid), resource)).toBe(expected);
  });

  it('a caller without roles may attempt nothing but the open actions', () => {
    const open = (Object.keys(POLICY) as Action[]).filter((a) => mayAttempt(a, actor([])));
    expect(open.sort()).toEqual(['catalog.read', 'migration.kmsDeadline']);
  });

  it('scopes lists: operators see all, partner roles their partner, nothing for others', () => {
    expect(scopeOf('credits.read', actor(['analyst']))).toEqual({ kind: 'all' });
    expect(scopeOf('credits.read', actor(['global-admin']))).toEqual({ kind: 'partner', partnerTenantId: partner });
    expect(scopeOf('credits.read', actor(['admin-agent']))).toBeUndefined();
  });
});

describe('product key vault', () => {
  const kek = Buffer.alloc(32, 1);
  const binding = { orderId: randomUUID(), keyId: randomUUID() };

  it('round-trips a key and never stores it in clear', () => {
    const vault = new ProductKeyVault([kek]);
    const key = generateProductKey();
    const material = vault.encrypt(key, binding);
    expect(JSON.stringify(material)).not.toContain(key);
    expect(material.kid).toBe(keyIdOf(kek));
    expect(vault.decrypt(material, binding)).toBe(key);
  });

  it('refuses ciphertext moved to another order, or tampered with', () => {
    const vault = new ProductKeyVault([kek]);
    const material = vault.encrypt('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE', binding);
    expect(() => vault.decrypt(material, { ...binding, orderId: randomUUID() })).toThrow();
    const flipped = Buffer.from(material.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => vault.decrypt({ ...material, ciphertext: flipped.toString('base64') }, binding)).toThrow();
  });

  it('decrypts with a previous key after rotation and encrypts with the new one', () => {
    const old = new ProductKeyVault([kek]).encrypt('K', binding);
    const rotated = new ProductKeyVault([Buffer.alloc(32, 2), kek]);
    expect(rotated.decrypt(old, binding)).toBe('K');
    expect(rotated.encrypt('K', binding).kid).not.toBe(old.kid);
  });

  it('generates MAK-shaped keys and stable fingerprints', () => {
    const key = generateProductKey();
    expect(key).toMatch(/^([BCDFGHJKMPQRTVWXY2346789]{5}-){4}[BCDFGHJKMPQRTVWXY2346789]{5}$/);
    expect(fingerprintProductKey(key)).toBe(fingerprintProductKey(key));
    expect(fingerprintProductKey(key)).not.toContain(key);
  });
});

describe('download link tokens', () => {
  it('carry the order id and a 256-bit secret stored only as a hash', () => {
    const orderId = randomUUID();
    const { token, tokenHash } = newLinkToken(orderId);
    const parsed = parseLinkToken(token)!;
    expect(parsed.orderId).toBe(orderId);
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    expect(hashLinkSecret(parsed.secret)).toBe(tokenHash);
    expect(tokenHash).not.toContain(parsed.secret);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'x', `${randomUUID()}.short`, `${randomUUID()}`, `../${randomUUID()}.${'a'.repeat(43)}`]) {
      expect(parseLinkToken(bad)).toBeUndefined();
    }
  });
});

describe('token verification', () => {
  const secret = 'test-secret-' + randomUUID();
  const tid = randomUUID();
  const hs = (claims: Record<string, unknown>, key = secret) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(key));
  const verifier = new TokenVerifier({ jwtSecret: secret });

  it('accepts an HS256 token with sub, tid and roles', async () => {
    const token = await hs({ sub: 'agent-1', tid, roles: ['admin-agent'], exp: Math.floor(Date.now() / 1000) + 60 });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({ sub: 'agent-1', tid, roles: ['admin-agent'] });
  });

  const refused: [string, () => Promise<string | undefined>][] = [
    ['no header', async () => undefined],
    ['not a bearer', async () => 'Basic abc'],
    ['wrong secret', async () => `Bearer ${await hs({ sub: 'a', tid, roles: [] }, 'other')}`],
    ['expired', async () => `Bearer ${await hs({ sub: 'a', tid, roles: [], exp: Math.floor(Date.now() / 1000) - 3600 })}`],
    ['not yet valid', async () => `Bearer ${await hs({ sub: 'a', tid, roles: [], nbf: Math.floor(Date.now() / 1000) + 3600 })}`],
    ['missing tid', async () => `Bearer ${await hs({ sub: 'a', roles: [] })}`],
    ['tid not a GUID', async () => `Bearer ${await hs({ sub: 'a', tid: 'contoso', roles: [] })}`],
    ['roles not an array', async () => `Bearer ${await hs({ sub: 'a', tid, roles: 'admin-agent' })}`],
    [
      'alg none',
      async () => {
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'a', tid, roles: ['admin-agent'] })}.`;
      },
    ],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await hs({ sub: 'a', tid, roles: [] })).split('.');
        const p = Buffer.from(JSON.stringify({ sub: 'a', tid, roles: ['admin-agent'] })).toString('base64url');
        return `Bearer ${h}.${p}.${s}`;
      },
    ],
    [
      'RS256 token without a JWKS configured',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return `Bearer ${await new SignJWT({ sub: 'a', tid, roles: [] }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)}`;
      },
    ],
    [
      'HS256 signed with an empty secret',
      async () => {
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const h = b64({ alg: 'HS256' }),
          p = b64({ sub: 'a', tid, roles: [] });
        return `Bearer ${h}.${p}.${createHmac('sha256', '').update(`${h}.${p}`).digest('base64url')}`;
      },
    ],
  ];
  it.each(refused)('refuses %s with 401', async (_name, header) => {
    await expect(verifier.verify(await header())).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('judges token lifetimes by the clock it is given (the real one in the product)', async () => {
    const token = await hs({ sub: 'a', tid, roles: [], exp: Math.floor(Date.parse('2026-03-02T10:00:00Z') / 1000) });
    const before = new TokenVerifier({ jwtSecret: secret, now: () => new Date('2026-03-02T09:00:00Z') });
    const after = new TokenVerifier({ jwtSecret: secret, now: () => new Date('2026-03-02T11:00:00Z') });
    await expect(before.verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'a' });
    await expect(after.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('verifies a token once, and still judges its lifetime at every use', async () => {
    let now = new Date('2026-03-02T09:00:00Z');
    const clocked = new TokenVerifier({ jwtSecret: secret, now: () => now });
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const token = await hs({ sub: 'a', tid, roles: ['admin-agent'], nbf: seconds('2026-03-02T08:59:00Z'), exp: seconds('2026-03-02T10:00:00Z') });
    const first = await clocked.verify(`Bearer ${token}`);
    // The caller's copy is its own: changing it changes nothing for the next request.
    (first.roles as string[]).push('global-admin');
    await expect(clocked.verify(`Bearer ${token}`)).resolves.toEqual({ sub: 'a', tid, roles: ['admin-agent'] });
    // Past exp and the 30 s tolerance: refused as an uncached token is, with the same message.
    now = new Date('2026-03-02T10:00:31Z');
    const uncached = new TokenVerifier({ jwtSecret: secret, now: () => now });
    const expected = await uncached.verify(`Bearer ${token}`).then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(expected).toBe('The token has expired');
    await expect(clocked.verify(`Bearer ${token}`)).rejects.toThrow(expected);
    // Inside the tolerance, and before nbf minus the tolerance.
    now = new Date('2026-03-02T10:00:29Z');
    await expect(clocked.verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'a' });
    now = new Date('2026-03-02T08:58:29Z');
    await expect(clocked.verify(`Bearer ${token}`)).rejects.toThrow('The token\'s "nbf" claim is not acceptable');
  });

  it('never takes a tampered copy of a verified token for it', async () => {
    const token = await hs({ sub: 'a', tid, roles: [] });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'a' });
    const [h, , s] = token.split('.');
    const p = Buffer.from(JSON.stringify({ sub: 'a', tid, roles: ['admin-agent'] })).toString('base64url');
    await expect(verifier.verify(`Bearer ${h}.${p}.${s}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
