import { CONFIG_VARIABLES, ConfigError, eventStoreKind, loadConfig, parseInstant } from './config';
import { FixedClock, StartedClock } from './clock';

describe('configuration from the environment', () => {
  it('runs with nothing set: embedded store in ./data, port 3000, projections in process', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/srv/app/data');
    expect(config.eventStoreUrl).toBeUndefined();
    expect(config.runProjections).toBe(true);
    expect(config.catalogFile).toBe('/srv/app/config/catalog.json');
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATA_DIR: '  ', EVENTSTORE_URL: '', REDIS_URL: '', CLOCK_START: '' }, '/srv');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/srv/data');
    expect(config.redisUrl).toBeUndefined();
    expect(config.clockStart).toBeUndefined();
  });

  it('switches the read models to Redis and still projects in the API unless RUN_PROJECTIONS=false says another process does', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.runProjections).toBe(true);
    expect(loadConfig({ REDIS_URL: 'redis://x', RUN_PROJECTIONS: 'false' }).runProjections).toBe(false);
  });

  it('keeps metrics unless METRICS=false', () => {
    expect(loadConfig({}).metrics).toBe(true);
    expect(loadConfig({ METRICS: 'false' }).metrics).toBe(false);
    expect(() => loadConfig({ METRICS: 'off' })).toThrow(/METRICS must be true or false/);
  });

  it('requires a shared key-encryption key and an auth method with KurrentDB', () => {
    expect(() => loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' })).toThrow(ConfigError);
    const config = loadConfig({
      EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false',
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      AUTH_JWT_SECRET: 's',
    });
    expect(config.keyEncryptionKey).toHaveLength(32);
  });

  it('switches to PostgreSQL with a postgres:// or postgresql:// URL, with the same requirements as KurrentDB', () => {
    const shared = { KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), AUTH_JWT_SECRET: 's' };
    for (const url of ['postgres://csp:secret@db.internal:5432/csp', 'postgresql://postgres@127.0.0.1/events?sslmode=require']) {
      expect(loadConfig({ EVENTSTORE_URL: url, ...shared }).eventStoreUrl).toBe(url);
      expect(eventStoreKind(url)).toBe('postgres');
      expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(/KEY_ENCRYPTION_KEY is required[\s\S]*AUTH_JWT_SECRET or AUTH_JWKS_URL is required/);
    }
    expect(eventStoreKind('kurrentdb://localhost:2113')).toBe('kurrentdb');
    expect(eventStoreKind('mysql://localhost/x')).toBeUndefined();
    expect(() => loadConfig({ EVENTSTORE_URL: 'postgres://db.internal', ...shared })).toThrow(/postgres:\/\/user\[:password\]@host\[:port\]\/database/);
    expect(() => loadConfig({ EVENTSTORE_URL: 'mysql://db.internal/x', ...shared })).toThrow(/or postgres:\/\/ or postgresql:\/\//);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', CLOCK_START: 'yesterday', KEY_ENCRYPTION_KEY: 'c2hvcnQ=', LOG_LEVEL: 'loud', RUN_PROJECTIONS: 'maybe' });
      fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(5);
    }
  });

  it('reads the internal webhook destinations the operator allows, refusing what is not a host, an address or a CIDR block', () => {
    expect(loadConfig({}).webhooks.allowedHosts.entries).toEqual([]);
    const config = loadConfig({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, 10.20.0.0/16,billing.internal' });
    expect(config.webhooks.allowedHosts.entries).toEqual(['127.0.0.1', '10.20.0.0/16', 'billing.internal']);
    expect(config.webhooks.allowedHosts.addresses.check('10.20.3.4')).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,10.0.0.0/33,http://billing.internal' })).toThrow(
      /WEBHOOK_ALLOWED_HOSTS: "10\.0\.0\.0\/33" is not a host name, an IP address or a CIDR block[\s\S]*WEBHOOK_ALLOWED_HOSTS: "http:\/\/billing\.internal" is not/,
    );
  });

  it('closes silent HTTP connections within about a minute by default, and reads shorter or longer limits', () => {
    expect(loadConfig({}).http).toEqual({ headersTimeoutMs: 30_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000 });
    expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000' }).http).toEqual({ headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 65_000 });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '0' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS must be a whole number/);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '1s' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS must be a whole number/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '90000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('parses CLOCK_START strictly', () => {
    expect(loadConfig({ CLOCK_START: '2026-03-02T10:00:00Z' }).clockStart?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(parseInstant('2026-03-02')?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(parseInstant('2026-03-02T12:00:00+02:00')?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    for (const bad of ['2026-02-30', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-02T10:00:00', 'now', '1709373600']) {
      expect(parseInstant(bad)).toBeUndefined();
    }
  });
});

describe('the list of configuration variables', () => {
  it('is exactly what loadConfig reads', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, { get: (_t, name: string) => (read.add(name), undefined) });
    loadConfig(env, '/srv');
    expect([...read].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});

describe('clocks', () => {
  it('a started clock begins at CLOCK_START and runs forward', async () => {
    const clock = new StartedClock(new Date('2026-03-02T10:00:00Z'));
    const first = clock.now().getTime();
    expect(first).toBeGreaterThanOrEqual(Date.parse('2026-03-02T10:00:00Z'));
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now().getTime()).toBeGreaterThan(first);
  });

  it('a fixed clock moves only when told', () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
  });
});
