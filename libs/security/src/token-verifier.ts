import { createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { parseId, type Actor } from '@csp/domain';

/** The token was missing, malformed, badly signed, expired or lacked the claims we need: HTTP 401. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

export interface TokenVerifierOptions {
  /** HS256 shared secret (dev, tests, small installs). */
  readonly jwtSecret?: string;
  /** RS256/ES256 verification against a JWKS endpoint (larger installs). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly clockToleranceSeconds?: number;
  /** Minimum time between two fetches of the key set (an unknown kid triggers one): rotation vs floods. */
  readonly jwksCooldownMs?: number;
  /**
   * Token lifetimes are judged by the real clock, not the service clock: CLOCK_START moves
   * business time (windows, expiries), and must not make freshly minted tokens look expired.
   */
  readonly now?: () => Date;
}

const MAX_TOKEN_LENGTH = 8192;
/** HS256 tokens whose signature and claims were verified, per generation of the cache (two are kept). */
const VERIFIED_PER_GENERATION = 1000;

/** What a verified HS256 token leaves to check on its next use: the claims that depend on the time. */
interface Verified {
  readonly actor: Actor;
  readonly nbf?: number;
  readonly exp?: number;
}

export class TokenVerifier {
  /** A KeyObject made once: given bytes, jose would make one for every token it verifies. */
  private readonly secret?: KeyObject;
  private readonly jwks?: JWTVerifyGetKey;
  /**
   * A client sends the same token with every request: with a shared secret, its signature, header,
   * issuer, audience and claims verify the same way every time, so they are verified once; the
   * lifetime (nbf, exp) is checked again at every use, as jose does. Two generations of plain Maps,
   * the older dropped whole when the newer is full. JWKS tokens are not kept (a key may be withdrawn).
   */
  private verified = new Map<string, Verified>();
  private verifiedBefore = new Map<string, Verified>();

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwtSecret) this.secret = createSecretKey(Buffer.from(options.jwtSecret, 'utf8'));
    // jose caches the key set and refetches on an unknown kid (rotation), with a cooldown against floods.
    if (options.jwksUrl)
      this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 600_000,
        timeoutDuration: 5_000,
      });
    if (!this.secret && !this.jwks) throw new Error('TokenVerifier needs a JWT secret or a JWKS URL');
  }

  /** Verifies a bearer token and returns the caller, or throws UnauthenticatedError. */
  async verify(authorization: string | undefined): Promise<Actor> {
    if (!authorization) throw new UnauthenticatedError('A bearer token is required (Authorization: Bearer <JWT>)');
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/.exec(authorization);
    if (!match || authorization.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError('The Authorization header must be "Bearer <JWT>"');
    const token = match[1]!;
    const known = this.verified.get(token) ?? this.verifiedBefore.get(token);
    if (known && this.stillValid(known)) return { sub: known.actor.sub, tid: known.actor.tid, roles: [...known.actor.roles] };
    const { payload, withSecret } = await this.verifySignature(token);
    const actor = actorFromClaims(payload);
    if (withSecret) this.remember(token, { actor: { ...actor, roles: [...actor.roles] }, nbf: payload.nbf, exp: payload.exp });
    return actor;
  }

  /** jose's own lifetime checks (lib/jwt_claims_set), on the clock and with the tolerance it is given. */
  private stillValid({ nbf, exp }: Verified): boolean {
    const now = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    const tolerance = this.options.clockToleranceSeconds ?? 30;
    return !(nbf !== undefined && nbf > now + tolerance) && !(exp !== undefined && exp <= now - tolerance);
  }

  private remember(token: string, verified: Verified): void {
    if (this.verified.size >= VERIFIED_PER_GENERATION) {
      this.verifiedBefore = this.verified;
      this.verified = new Map();
    }
    this.verified.set(token, verified);
  }

  private async verifySignature(token: string): Promise<{ payload: JWTPayload; withSecret: boolean }> {
    const common = {
      issuer: this.options.issuer,
      audience: this.options.audience,
      clockTolerance: this.options.clockToleranceSeconds ?? 30,
      currentDate: this.options.now?.(),
    };
    const header = decodeHeader(token);
    try {
      // The algorithm is chosen by which key we hold, never by the token: no `none`, no HS/RS confusion.
      if (header.alg === 'HS256' && this.secret) {
        return { payload: (await jwtVerify(token, this.secret, { ...common, algorithms: ['HS256'] })).payload, withSecret: true };
      }
      if ((header.alg === 'RS256' || header.alg === 'ES256') && this.jwks) {
        return { payload: (await jwtVerify(token, this.jwks, { ...common, algorithms: ['RS256', 'ES256'] })).payload, withSecret: false };
      }
    } catch (error) {
      throw new UnauthenticatedError(describeJoseError(error));
    }
    throw new UnauthenticatedError(`Tokens signed with ${String(header.alg)} are not accepted`);
  }
}

function decodeHeader(token: string): { alg?: unknown } {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as unknown;
    if (header && typeof header === 'object') return header as { alg?: unknown };
  } catch {
    // fall through
  }
  throw new UnauthenticatedError('The token header is not valid JSON');
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not acceptable`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is not valid';
  if (error instanceof errors.JOSEError) return `The token is not valid (${error.code})`;
  return 'The token is not valid';
}

export function actorFromClaims(payload: JWTPayload): Actor {
  const { sub, tid, roles } = payload as { sub?: unknown; tid?: unknown; roles?: unknown };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw new UnauthenticatedError('The token needs a "sub" claim');
  const tenantId = parseId(tid);
  if (!tenantId) throw new UnauthenticatedError('The token needs a "tid" claim holding a tenant id (GUID)');
  if (!Array.isArray(roles) || roles.length > 50 || !roles.every((r) => typeof r === 'string' && r.length <= 100)) {
    throw new UnauthenticatedError('The token needs a "roles" claim: an array of role names');
  }
  return { sub, tid: tenantId, roles: roles as string[] };
}
