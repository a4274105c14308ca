import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StartedClock, SystemClock, type AppConfig, type Clock } from '@csp/config';
import { connectKurrentDb, openKurrentDbEventStore, openSqliteEventStore, type EventStore } from '@csp/event-store';
import {
  KurrentDbDataKeyStore,
  MemoryRateLimiter,
  ProductKeyVault,
  RedisRateLimiter,
  SqliteDataKeyStore,
  TenantKeyring,
  TokenVerifier,
  type DataKeyStore,
  type KeyringClient,
  type RateLimiter,
} from '@csp/security';
import { createReadSide, MemoryReadModelStore, RedisReadModelStore, type ReadSide } from '@csp/projections';
import type { JsonLogger } from '../logging/json-logger';
import { loadReferenceData, type ReferenceData } from '../reference-data';
import { upcastingEventStore } from '../upcasting';
import { developmentSecret } from './dev-secrets';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

/** Everything the apps wire into Nest, built once from the configuration (the composition root). */
export interface Runtime {
  readonly config: AppConfig;
  readonly logger: JsonLogger;
  readonly clock: Clock;
  readonly store: EventStore;
  readonly reference: ReferenceData;
  readonly vault: ProductKeyVault;
  readonly verifier: TokenVerifier;
  readonly readSide: ReadSide;
  readonly rateLimiter: RateLimiter;
  readonly keyring: TenantKeyring;
  /** Present where this process projects: one process delivers webhooks. */
  readonly webhooks?: WebhookDispatcher;
  close(): Promise<void>;
}

export async function createRuntime(config: AppConfig, logger: JsonLogger): Promise<Runtime> {
  const clock = serviceClock(config);
  const reference = loadReferenceData(config);

  let jwtSecret = config.auth.jwtSecret;
  if (!jwtSecret && !config.auth.jwksUrl) {
    const secret = developmentSecret(config.dataDir, 'jwt-secret');
    jwtSecret = secret.value.toString('base64');
    logger.warn('AUTH_JWT_SECRET is not set: using the development secret kept in DATA_DIR (mint tokens with `npm run token`)', { file: secret.file });
  }
  const keks = keyEncryptionKeys(config, logger);
  const verifier = new TokenVerifier({
    jwtSecret,
    jwksUrl: config.auth.jwksUrl,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    clockToleranceSeconds: config.auth.clockToleranceSeconds,
  });

  const store = await openConfiguredEventStore(config, logger);
  // Tenants' data keys live outside the event log, so that destroying one really removes it.
  const dataKeys: DataKeyStore = config.eventStoreUrl
    ? new KurrentDbDataKeyStore(connectKurrentDb(config.eventStoreUrl) as unknown as KeyringClient)
    : new SqliteDataKeyStore(join(config.dataDir, 'keyring.sqlite'));
  const vault = new ProductKeyVault(keks);
  const readSide = await openConfiguredReadSide(config, store, logger, { clock });
  await readSide.start();
  const webhooks = readSide.projecting ? createWebhookDispatcher(config, store, readSide, vault, logger, clock) : undefined;
  await webhooks?.start();
  if (config.clockStart) logger.info('Service clock starts at CLOCK_START', { clockStart: config.clockStart.toISOString() });

  return {
    config,
    logger,
    clock,
    store,
    reference,
    vault,
    ...(webhooks ? { webhooks } : {}),
    keyring: new TenantKeyring(dataKeys, keks, () => clock.now()),
    verifier,
    readSide,
    // Replicas share counters through Redis when there is one; alone, a process counts for itself.
    rateLimiter: readSide.store instanceof RedisReadModelStore ? new RedisRateLimiter(readSide.store.redis, config.redisKeyPrefix) : new MemoryRateLimiter(),
    async close() {
      await webhooks?.stop();
      await readSide.stop();
      await readSide.store.close();
      await dataKeys.close();
      await store.close();
    },
  };
}

/** The service clock: real time, or real time moved to CLOCK_START when the process started. */
export function serviceClock(config: AppConfig): Clock {
  return config.clockStart ? new StartedClock(config.clockStart) : new SystemClock();
}

/** Who holds a lease: unique per process, readable in Redis (host and pid). */
function leaseOwnerId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** The key-encryption keys, current first: KEY_ENCRYPTION_KEY (or the development key in DATA_DIR), then the previous ones. */
export function keyEncryptionKeys(config: AppConfig, logger: JsonLogger): Buffer[] {
  let kek = config.keyEncryptionKey;
  if (!kek) {
    const secret = developmentSecret(config.dataDir, 'key-encryption-key');
    kek = secret.value;
    logger.warn('KEY_ENCRYPTION_KEY is not set: using the development key kept in DATA_DIR; set it in production', { file: secret.file });
  }
  return [kek, ...config.previousKeyEncryptionKeys];
}

/**
 * The webhook dispatcher of a process that projects. Every such process may run one: they share a
 * lease in the read-model store (Redis with several processes), and only its holder delivers.
 */
export function createWebhookDispatcher(config: AppConfig, store: EventStore, readSide: ReadSide, vault: ProductKeyVault, logger: JsonLogger, clock: Clock): WebhookDispatcher {
  const owner = leaseOwnerId();
  const ttlMs = 15_000;
  return new WebhookDispatcher({
    store,
    vault,
    logger,
    now: () => clock.now(),
    maxAttempts: config.webhooks.maxAttempts,
    baseDelayMs: config.webhooks.retryBaseMs,
    lease: {
      ttlMs,
      acquire: () => readSide.store.acquireLease(WEBHOOK_LEASE, owner, ttlMs),
      release: () => readSide.store.releaseLease(WEBHOOK_LEASE, owner),
    },
  });
}

/** The name of the webhook dispatcher's lease among the read models' leases. */
const WEBHOOK_LEASE = 'webhook-dispatcher';

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * The event store the configuration names: KurrentDB with EVENTSTORE_URL, else the embedded SQLite
 * file — reading every event in its current schema version (see ../upcasting).
 *
 * `readOnly` is for readers that must not change what they are pointed at (the audit CLI): the
 * SQLite file must already be an event store (else NotAnEventStoreError) and is neither created,
 * nor migrated, nor written; with KurrentDB it changes nothing (a client that never appends).
 */
export async function openConfiguredEventStore(config: AppConfig, logger: JsonLogger, options: { readonly readOnly?: boolean } = {}): Promise<EventStore> {
  return upcastingEventStore(await openRawEventStore(config, logger, options.readOnly ?? false));
}

async function openRawEventStore(config: AppConfig, logger: JsonLogger, readOnly: boolean): Promise<EventStore> {
  if (config.eventStoreUrl) {
    const store = await openKurrentDbEventStore({ connectionString: config.eventStoreUrl, logger });
    // Fail at start-up, not on the first command, when the cluster cannot be reached.
    await store.headPosition();
    logger.info('Event store: KurrentDB', { url: redactUrl(config.eventStoreUrl) });
    return store;
  }
  if (!readOnly) mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'events.sqlite');
  const store = openSqliteEventStore({ file, logger, readOnly });
  logger.info('Event store: embedded SQLite', { file, ...(readOnly ? { readOnly } : {}) });
  return store;
}

/**
 * The read side the configuration names: Redis with REDIS_URL (projecting here only when
 * RUN_PROJECTIONS says so, under a lease), else memory, projected in this process.
 */
export async function openConfiguredReadSide(config: AppConfig, store: EventStore, logger: JsonLogger, options: { project?: boolean; clock?: Clock } = {}): Promise<ReadSide> {
  const project = options.project ?? config.runProjections;
  if (config.redisUrl) {
    const redis = new RedisReadModelStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix });
    logger.info('Read models: Redis', { url: config.redisUrl.replace(/\/\/[^@/]*@/, '//***@'), projecting: project });
    return createReadSide({
      eventStore: store,
      store: redis,
      project,
      logger,
      leaseOwner: leaseOwnerId(),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }
  if (!config.runProjections) logger.warn('RUN_PROJECTIONS=false has no effect without REDIS_URL: in-memory read models are projected in this process');
  logger.info('Read models: in memory, rebuilt from the event store at start-up');
  return createReadSide({ eventStore: store, store: new MemoryReadModelStore(), project: true, logger, ...(options.clock ? { clock: options.clock } : {}) });
}
