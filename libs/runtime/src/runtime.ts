import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StartedClock, SystemClock, type AppConfig, type Clock } from '@csp/config';
import type { EventStore } from '@csp/event-store';
import { MemoryRateLimiter, ProductKeyVault, TenantKeyring, TokenVerifier, type RateLimiter } from '@csp/security';
import { RedisRateLimiter } from '@csp/security/redis';
import { createReadSide, type ReadModelStore, type ReadSide } from '@csp/projections';
import { RedisReadModelStore } from '@csp/projections/redis';
import { SqliteReadModelStore } from '@csp/projections/sqlite';
import { loadReferenceData, upcastingEventStore, type JsonLogger, type ReferenceData } from '@csp/application';
import { WebhookDestinations, WebhookDispatcher } from '@csp/webhooks/module';
import { Metrics, observedEventStore } from '@csp/observability';
import { developmentSecret } from './dev-secrets';
import { EMBEDDED_FILES, openConfiguredDataKeyStore, openRawEventStore, redactUrl } from './configured-stores';
import { PROJECTIONS } from './projections';
import { reconcileDurableReadModels, recordEventStoreIdentity, releaseAbandonedLeases } from './durable-read-models';
import { observeReadModelLag } from './observability';

/** Everything the API wires into Nest, built once from the configuration. */
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
  /** Present where this process projects: the holder of the webhook lease delivers. */
  readonly webhooks?: WebhookDispatcher;
  /** Where webhooks may be registered (and delivered): the rule and the operator's WEBHOOK_ALLOWED_HOSTS. */
  readonly webhookDestinations: WebhookDestinations;
  /** The Prometheus instruments (GET /metrics); absent with METRICS=false. */
  readonly metrics?: Metrics;
  close(): Promise<void>;
}

/** The API process: the event store, the read side (projecting unless RUN_PROJECTIONS=false), keys, tokens, webhooks. */
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

  const metrics = config.metrics ? new Metrics() : undefined;
  const store = observedEventStore(await openConfiguredEventStore(config, logger), metrics);
  const dataKeys = openConfiguredDataKeyStore(config);
  const vault = new ProductKeyVault(keks);
  const readModelStore = openConfiguredReadModelStore(config, logger);
  if (readModelStore instanceof SqliteReadModelStore) {
    await reconcileDurableReadModels(readModelStore, store, PROJECTIONS, logger);
    await releaseAbandonedLeases(readModelStore, [...PROJECTIONS.map((p) => p.name), WEBHOOK_LEASE], logger);
  }
  const readSide = openConfiguredReadSide(config, store, readModelStore, logger, { clock, metrics });
  observeReadModelLag(metrics, readSide, store);
  await readSide.start();
  const webhooks = readSide.projecting ? createWebhookDispatcher(config, store, readSide, vault, logger, clock, metrics) : undefined;
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
    ...(metrics ? { metrics } : {}),
    webhookDestinations: webhookDestinations(config),
    keyring: new TenantKeyring(dataKeys, keks, () => clock.now()),
    verifier,
    readSide,
    // Replicas share counters through Redis when there is one; alone, a process counts for itself.
    rateLimiter: readModelStore instanceof RedisReadModelStore ? new RedisRateLimiter(readModelStore.redis, config.redisKeyPrefix) : new MemoryRateLimiter(),
    async close() {
      await webhooks?.stop();
      await readSide.stop();
      if (readModelStore instanceof SqliteReadModelStore) await recordEventStoreIdentity(readModelStore, store);
      await readModelStore.close();
      await dataKeys.close();
      await store.close();
    },
  };
}

/** The projector process: the read models in Redis and the webhooks, from the configured event store. */
export interface ProjectorRuntime {
  readonly readSide: ReadSide;
  readonly webhooks: WebhookDispatcher;
  /** The Prometheus instruments (GET /metrics on the projector's port); absent with METRICS=false. */
  readonly metrics?: Metrics;
  close(): Promise<void>;
}

export async function createProjectorRuntime(config: AppConfig, logger: JsonLogger): Promise<ProjectorRuntime> {
  if (!config.redisUrl) {
    throw new Error('The projector process writes read models to Redis: set REDIS_URL (the embedded default runs projections inside the API)');
  }
  const clock = serviceClock(config);
  const metrics = config.metrics ? new Metrics() : undefined;
  const store = observedEventStore(await openConfiguredEventStore(config, logger), metrics);
  const readModelStore = openConfiguredReadModelStore(config, logger);
  const readSide = openConfiguredReadSide(config, store, readModelStore, logger, { project: true, clock, metrics });
  observeReadModelLag(metrics, readSide, store);
  await readSide.start();
  const webhooks = createWebhookDispatcher(config, store, readSide, new ProductKeyVault(keyEncryptionKeys(config, logger)), logger, clock, metrics);
  await webhooks.start();
  return {
    readSide,
    webhooks,
    ...(metrics ? { metrics } : {}),
    async close() {
      await webhooks.stop();
      await readSide.stop();
      await readModelStore.close();
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

/** The secret development tokens are signed with when AUTH_JWT_SECRET is not set (npm run token). */
export function tokenSigningSecret(config: AppConfig): string {
  return config.auth.jwtSecret ?? developmentSecret(config.dataDir, 'jwt-secret').value.toString('base64');
}

/** The webhook destination rule with the operator's exceptions (registration and delivery use the same). */
export function webhookDestinations(config: AppConfig): WebhookDestinations {
  return new WebhookDestinations(config.webhooks.allowedHosts);
}

/**
 * The webhook dispatcher of a process that projects. Every such process may run one: they share a
 * lease in the read-model store (Redis with several processes), and only its holder delivers.
 */
function createWebhookDispatcher(
  config: AppConfig,
  store: EventStore,
  readSide: ReadSide,
  vault: ProductKeyVault,
  logger: JsonLogger,
  clock: Clock,
  metrics: Metrics | undefined,
): WebhookDispatcher {
  const owner = leaseOwnerId();
  const ttlMs = 15_000;
  if (config.webhooks.allowedHosts.entries.length > 0) {
    logger.info('Webhooks may be delivered to these internal destinations (WEBHOOK_ALLOWED_HOSTS)', { allowed: config.webhooks.allowedHosts.entries });
  }
  return new WebhookDispatcher({
    store,
    vault,
    destinations: webhookDestinations(config),
    logger,
    now: () => clock.now(),
    maxAttempts: config.webhooks.maxAttempts,
    baseDelayMs: config.webhooks.retryBaseMs,
    metrics,
    lease: {
      ttlMs,
      acquire: () => readSide.store.acquireLease(WEBHOOK_LEASE, owner, ttlMs),
      release: () => readSide.store.releaseLease(WEBHOOK_LEASE, owner),
    },
  });
}

/** The name of the webhook dispatcher's lease among the read models' leases. */
const WEBHOOK_LEASE = 'webhook-dispatcher';

/**
 * The event store the configuration names: KurrentDB or PostgreSQL by EVENTSTORE_URL's scheme, else
 * the embedded SQLite file — reading every event in its current schema version
 * (libs/application/src/upcasting). Every entry point opens its store here; the layering check
 * forbids any other way.
 *
 * `readOnly` is for readers that must not change what they are pointed at (the audit CLI, rebuilds):
 * the SQLite file must already be an event store (else NotAnEventStoreError) and is neither created,
 * nor migrated, nor written; the PostgreSQL database must hold the store at this schema version and
 * its sessions are read-only; with KurrentDB it changes nothing (a client that never appends).
 */
export async function openConfiguredEventStore(config: AppConfig, logger: JsonLogger, options: { readonly readOnly?: boolean } = {}): Promise<EventStore> {
  return upcastingEventStore(await openRawEventStore(config, logger, options.readOnly ?? false));
}

/**
 * The read-model store the configuration names: Redis with REDIS_URL, else the durable embedded
 * one in DATA_DIR (read-models.sqlite), which resumes from its checkpoints at each start.
 */
export function openConfiguredReadModelStore(config: AppConfig, logger: JsonLogger): ReadModelStore {
  if (config.redisUrl) {
    logger.info('Read models: Redis', { url: redactUrl(config.redisUrl) });
    return new RedisReadModelStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix });
  }
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, EMBEDDED_FILES.readModels);
  logger.info('Read models: embedded SQLite, resumed from their checkpoints', { file });
  return new SqliteReadModelStore(file);
}

/**
 * The read side over that store: projecting here unless RUN_PROJECTIONS=false (with Redis, under a
 * lease per read model); memory read models are always projected here, since nothing else fills them.
 */
export function openConfiguredReadSide(
  config: AppConfig,
  eventStore: EventStore,
  store: ReadModelStore,
  logger: JsonLogger,
  options: { readonly project?: boolean; readonly clock?: Clock; readonly metrics?: Metrics } = {},
): ReadSide {
  let project = options.project ?? config.runProjections;
  if (!project && store.kind !== 'redis') {
    logger.warn('RUN_PROJECTIONS=false has no effect without REDIS_URL: embedded read models are projected in this process');
    project = true;
  }
  logger.info('Projections', { projecting: project });
  return createReadSide({
    eventStore,
    store,
    projections: PROJECTIONS,
    project,
    logger,
    metrics: options.metrics,
    ...(store.kind === 'memory' ? {} : { leaseOwner: leaseOwnerId() }),
  });
}
