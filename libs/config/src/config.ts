import { isAbsolute, resolve } from 'node:path';
import { parseAllowedDestinations, type AllowedDestinations } from '@csp/security';
import { parseDateOrInstant } from '@csp/domain';

/** Typed configuration, read once from the environment. An empty variable counts as unset. */
export interface AppConfig {
  readonly port: number;
  readonly projectorPort: number;
  readonly dataDir: string;
  /** esdb:// or kurrentdb:// switches the event store to KurrentDB; postgres:// or postgresql:// to PostgreSQL. */
  readonly eventStoreUrl?: string;
  /** Switches the read models to Redis. */
  readonly redisUrl?: string;
  readonly redisKeyPrefix: string;
  /** Whether this process runs the projections (the embedded default does). */
  readonly runProjections: boolean;
  /** Whether this process keeps Prometheus metrics and serves GET /metrics (METRICS=false: neither, to measure their cost). */
  readonly metrics: boolean;
  readonly auth: {
    readonly jwtSecret?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
    /** Tolerated clock skew for exp/nbf, in seconds. */
    readonly clockToleranceSeconds: number;
  };
  /** 32 bytes for AES-256-GCM; absent means a development key kept in DATA_DIR. */
  readonly keyEncryptionKey?: Buffer;
  /** Earlier key-encryption keys, still able to unwrap data keys wrapped before a rotation. */
  readonly previousKeyEncryptionKeys: readonly Buffer[];
  readonly clockStart?: Date;
  /** Operator-editable data; relative paths are resolved from the working directory. */
  readonly catalogFile: string;
  readonly cancellationPoliciesFile: string;
  readonly azureUnavailableMarketsFile: string;
  /** The officially assigned ISO 3166-1 alpha-2 codes: the markets a customer may have. */
  readonly marketsFile: string;
  /** Base of download link URLs; absent means the scheme and host the request came in on. */
  readonly publicBaseUrl?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** When the embedded event store runs SQLite's integrity check, which reads the whole file: after an unclean stop (`auto`) or at every start. */
  readonly eventStoreIntegrityCheck: 'auto' | 'always';
  /** Maximum JSON body in bytes (SPEC: 1 MiB). */
  readonly bodyLimitBytes: number;
  /**
   * How long the HTTP server waits, in ms, for a request's headers, for the whole request, and
   * for the next request on an idle keep-alive connection: a silent socket is closed past these.
   */
  readonly http: { readonly headersTimeoutMs: number; readonly requestTimeoutMs: number; readonly keepAliveTimeoutMs: number };
  /** Key reveals and link issues allowed per window, per caller and per tenant (429 beyond). */
  readonly keyAccessLimits: { readonly perUser: number; readonly perTenant: number; readonly windowSeconds: number };
  /**
   * Webhook deliveries: attempts per event before dead-lettering, the first retry delay (doubling),
   * and the internal destinations the operator allows (WEBHOOK_ALLOWED_HOSTS; none by default).
   */
  readonly webhooks: { readonly maxAttempts: number; readonly retryBaseMs: number; readonly allowedHosts: AllowedDestinations };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Every variable the product reads: deploy manifests are checked against this list. */
export const CONFIG_VARIABLES = [
  'PORT',
  'PROJECTOR_PORT',
  'DATA_DIR',
  'EVENTSTORE_URL',
  'REDIS_URL',
  'REDIS_KEY_PREFIX',
  'RUN_PROJECTIONS',
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_CLOCK_TOLERANCE_SECONDS',
  'KEY_ENCRYPTION_KEY',
  'KEY_ENCRYPTION_KEYS_PREVIOUS',
  'CLOCK_START',
  'CATALOG_FILE',
  'CANCELLATION_POLICIES_FILE',
  'AZURE_UNAVAILABLE_MARKETS_FILE',
  'MARKETS_FILE',
  'PUBLIC_BASE_URL',
  'LOG_LEVEL',
  'EVENT_STORE_INTEGRITY_CHECK',
  'KEY_ACCESS_LIMIT_PER_USER',
  'KEY_ACCESS_LIMIT_PER_TENANT',
  'KEY_ACCESS_WINDOW_SECONDS',
  'WEBHOOK_MAX_ATTEMPTS',
  'WEBHOOK_RETRY_BASE_MS',
  'WEBHOOK_ALLOWED_HOSTS',
  'HTTP_HEADERS_TIMEOUT_MS',
  'HTTP_REQUEST_TIMEOUT_MS',
  'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  'METRICS',
] as const;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const port = (name: string, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 0 || n > 65535) {
      problems.push(`${name} must be a port number 0-65535, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const file = (name: string, fallback: string): string => {
    const raw = get(name) ?? fallback;
    return isAbsolute(raw) ? raw : resolve(cwd, raw);
  };

  const eventStoreUrl = get('EVENTSTORE_URL');
  if (eventStoreUrl !== undefined && eventStoreKind(eventStoreUrl) === undefined) {
    problems.push('EVENTSTORE_URL must start with esdb:// or kurrentdb:// (or their +discover forms), or postgres:// or postgresql://');
  } else if (eventStoreUrl !== undefined && eventStoreKind(eventStoreUrl) === 'postgres' && !validPostgresUrl(eventStoreUrl)) {
    problems.push('EVENTSTORE_URL must be a PostgreSQL URL: postgres://user[:password]@host[:port]/database');
  }
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');

  let keyEncryptionKey: Buffer | undefined;
  const kek = get('KEY_ENCRYPTION_KEY');
  if (kek !== undefined) {
    keyEncryptionKey = Buffer.from(kek, 'base64');
    if (keyEncryptionKey.length !== 32) problems.push('KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
  } else if (eventStoreUrl !== undefined) {
    // Every replica must encrypt with the same key: a per-machine development key would make keys unreadable elsewhere.
    problems.push('KEY_ENCRYPTION_KEY is required when EVENTSTORE_URL is set');
  }

  const previousKeyEncryptionKeys = (get('KEY_ENCRYPTION_KEYS_PREVIOUS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .map((k) => Buffer.from(k, 'base64'));
  if (previousKeyEncryptionKeys.some((k) => k.length !== 32)) problems.push('KEY_ENCRYPTION_KEYS_PREVIOUS must be comma-separated base64 32-byte keys');

  let clockStart: Date | undefined;
  const cs = get('CLOCK_START');
  if (cs !== undefined) {
    clockStart = parseInstant(cs);
    if (!clockStart) problems.push(`CLOCK_START must be an ISO-8601 instant, got "${cs}"`);
  }

  const jwtSecret = get('AUTH_JWT_SECRET');
  const jwksUrl = get('AUTH_JWKS_URL');
  if (jwksUrl !== undefined && !/^https?:\/\//.test(jwksUrl)) problems.push('AUTH_JWKS_URL must be an http(s) URL');
  if (eventStoreUrl !== undefined && jwtSecret === undefined && jwksUrl === undefined) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL is required when EVENTSTORE_URL is set');
  }
  const skewRaw = get('AUTH_CLOCK_TOLERANCE_SECONDS');
  const clockToleranceSeconds = skewRaw === undefined ? 30 : Number(skewRaw);
  if (!Number.isInteger(clockToleranceSeconds) || clockToleranceSeconds < 0 || clockToleranceSeconds > 600) {
    problems.push('AUTH_CLOCK_TOLERANCE_SECONDS must be an integer 0-600');
  }

  const logLevel = (get('LOG_LEVEL') ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const eventStoreIntegrityCheck = (get('EVENT_STORE_INTEGRITY_CHECK') ?? 'auto') as AppConfig['eventStoreIntegrityCheck'];
  if (!['auto', 'always'].includes(eventStoreIntegrityCheck)) problems.push('EVENT_STORE_INTEGRITY_CHECK must be auto or always');

  const publicBaseUrl = get('PUBLIC_BASE_URL')?.replace(/\/+$/, '');
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) problems.push('PUBLIC_BASE_URL must be an http(s) URL');

  const positive = (name: string, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000) {
      problems.push(`${name} must be a whole number from 1 to 1000000, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const keyAccessLimits = {
    perUser: positive('KEY_ACCESS_LIMIT_PER_USER', 60),
    perTenant: positive('KEY_ACCESS_LIMIT_PER_TENANT', 600),
    windowSeconds: positive('KEY_ACCESS_WINDOW_SECONDS', 60),
  };
  const allowedHosts = parseAllowedDestinations(get('WEBHOOK_ALLOWED_HOSTS'));
  problems.push(...allowedHosts.problems.map((problem) => `WEBHOOK_ALLOWED_HOSTS: ${problem}`));
  const webhooks = { maxAttempts: positive('WEBHOOK_MAX_ATTEMPTS', 8), retryBaseMs: positive('WEBHOOK_RETRY_BASE_MS', 1000), allowedHosts: allowedHosts.allowed };
  const http = {
    headersTimeoutMs: positive('HTTP_HEADERS_TIMEOUT_MS', 30_000),
    requestTimeoutMs: positive('HTTP_REQUEST_TIMEOUT_MS', 60_000),
    keepAliveTimeoutMs: positive('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000),
  };
  // Node measures both from the same start: headers that may take longer than the whole request make no sense.
  if (http.headersTimeoutMs > http.requestTimeoutMs) problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  const httpPort = port('PORT', 3000);
  const projectorPort = port('PROJECTOR_PORT', 3001);
  // Every process projects unless told another does: several projecting processes share Redis leases.
  const runProjections = bool('RUN_PROJECTIONS', true);
  const metrics = bool('METRICS', true);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: httpPort,
    projectorPort,
    dataDir: file('DATA_DIR', './data'),
    eventStoreUrl,
    redisUrl,
    redisKeyPrefix: get('REDIS_KEY_PREFIX') ?? 'csp:',
    runProjections,
    metrics,
    auth: { jwtSecret, jwksUrl, issuer: get('AUTH_ISSUER'), audience: get('AUTH_AUDIENCE'), clockToleranceSeconds },
    keyEncryptionKey,
    previousKeyEncryptionKeys,
    clockStart,
    catalogFile: file('CATALOG_FILE', 'config/catalog.json'),
    cancellationPoliciesFile: file('CANCELLATION_POLICIES_FILE', 'config/cancellation-policies.json'),
    azureUnavailableMarketsFile: file('AZURE_UNAVAILABLE_MARKETS_FILE', 'config/azure-unavailable-markets.json'),
    marketsFile: file('MARKETS_FILE', 'config/iso-3166-1-alpha-2.json'),
    publicBaseUrl,
    logLevel,
    eventStoreIntegrityCheck,
    bodyLimitBytes: 1024 * 1024,
    http,
    keyAccessLimits,
    webhooks,
  };
}

/** Which production store an EVENTSTORE_URL names, by its scheme; undefined for none of them. */
export function eventStoreKind(url: string): 'kurrentdb' | 'postgres' | undefined {
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//.test(url)) return 'kurrentdb';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  return undefined;
}

/** A host is needed (a socket directory instead is libpq's, not this URL's), and the database by name. */
function validPostgresUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.hostname !== '' && /^\/[^/]+$/.test(parsed.pathname);
  } catch {
    return false;
  }
}

/** Strict ISO-8601: a date (midnight UTC) or a date-time with an explicit offset or Z (the rule of parseDateOrInstant). */
export function parseInstant(text: string): Date | undefined {
  const ms = parseDateOrInstant(text);
  return ms === undefined ? undefined : new Date(ms);
}
