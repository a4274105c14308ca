import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { TokenVerifier, UnauthenticatedError } from './token-verifier';

/** A JWKS endpoint whose key set the test can rotate. */
let server: Server;
let keys: JWK[] = [];
let fetches = 0;
let url: string;
beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function signer(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, key: KeyLike | Uint8Array = privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid, ...header })
      .setIssuer('https://login.example')
      .setAudience('csp-orders')
      .setExpirationTime('5m')
      .sign(key);
  return { jwk, sign, publicKey, privateKey };
}

const tid = randomUUID();
const claims = { sub: 'user-1', tid, roles: ['global-admin'] };

describe('JWKS verification (production)', () => {
  it('accepts RS256 and ES256 tokens from the key set with the right issuer and audience', async () => {
    const rs = await signer('RS256', 'rs-1');
    const es = await signer('ES256', 'es-1');
    keys = [rs.jwk, es.jwk];
    const verifier = new TokenVerifier({ jwksUrl: url, issuer: 'https://login.example', audience: 'csp-orders' });
    await expect(verifier.verify(`Bearer ${await rs.sign(claims)}`)).resolves.toEqual(claims);
    await expect(verifier.verify(`Bearer ${await es.sign(claims)}`)).resolves.toEqual(claims);
  });

  it('refuses the wrong issuer, the wrong audience, an expired token and an unknown key', async () => {
    const rs = await signer('RS256', 'rs-2');
    keys = [rs.jwk];
    const verifier = new TokenVerifier({ jwksUrl: url, issuer: 'https://login.example', audience: 'csp-orders', jwksCooldownMs: 0 });
    const wrongIssuer = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'rs-2' })
      .setIssuer('https://evil.example')
      .setAudience('csp-orders')
      .setExpirationTime('5m')
      .sign((await generateKeyPair('RS256')).privateKey);
    const stranger = await signer('RS256', 'rs-2');
    for (const token of [
      wrongIssuer,
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'rs-2' })
        .setIssuer('https://login.example')
        .setAudience('another-app')
        .setExpirationTime('5m')
        .sign((await generateKeyPair('RS256')).privateKey),
      await stranger.sign(claims), // same kid, another key: the signature does not verify
      await rs.sign(claims, {}).then(() =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'rs-2' })
          .setIssuer('https://login.example')
          .setAudience('csp-orders')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
          .sign(rs.privateKey),
      ),
    ]) {
      await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    }
    const ok = await rs.sign(claims);
    await expect(verifier.verify(`Bearer ${ok}`)).resolves.toEqual(claims);
  });

  it('follows a key rotation: a token signed with a new kid makes the verifier refetch the set', async () => {
    const before = await signer('RS256', 'k-old');
    keys = [before.jwk];
    const verifier = new TokenVerifier({ jwksUrl: url, issuer: 'https://login.example', audience: 'csp-orders', jwksCooldownMs: 0 });
    await verifier.verify(`Bearer ${await before.sign(claims)}`);
    const after = await signer('RS256', 'k-new');
    keys = [before.jwk, after.jwk];
    const fetchesBefore = fetches;
    await expect(verifier.verify(`Bearer ${await after.sign(claims)}`)).resolves.toEqual(claims);
    expect(fetches).toBeGreaterThan(fetchesBefore);
    // The key set is cached: verifying again fetches nothing.
    const cached = fetches;
    await verifier.verify(`Bearer ${await after.sign(claims)}`);
    expect(fetches).toBe(cached);
  });

  it('refuses HS256 tokens signed with the public key (algorithm confusion) when only a JWKS is configured', async () => {
    const rs = await signer('RS256', 'rs-c');
    keys = [rs.jwk];
    const verifier = new TokenVerifier({ jwksUrl: url, issuer: 'https://login.example', audience: 'csp-orders' });
    const publicJwkAsSecret = new TextEncoder().encode(JSON.stringify(rs.jwk));
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'rs-c' })
      .setIssuer('https://login.example')
      .setAudience('csp-orders')
      .setExpirationTime('5m')
      .sign(publicJwkAsSecret);
    await expect(verifier.verify(`Bearer ${confused}`)).rejects.toThrow(/HS256 are not accepted/);
  });
});
