import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_ACCESS_INDEXES } from '@csp/audit';
import { eventStoreKind, type AppConfig } from '@csp/config';
import { WEBHOOK_STREAM_PREFIX } from '@csp/domain';
import type { JsonLogger } from '@csp/application';
import type { EventStore } from '@csp/event-store';
import { openSqliteEventStore, prepareSqliteFileAside } from '@csp/event-store/sqlite';
import { connectKurrentDb, openKurrentDbEventStore } from '@csp/event-store/kurrentdb';
import { openPostgresEventStore } from '@csp/event-store/postgres';
import type { DataKeyStore } from '@csp/security';
import { SqliteDataKeyStore } from '@csp/security/sqlite';
import { KurrentDbDataKeyStore, type KeyringClient } from '@csp/security/kurrentdb';
import { PostgresDataKeyStore } from '@csp/security/postgres';
import { existingDevelopmentSecret } from './dev-secrets';

// The stores the configuration names, opened as they are: the part of the composition root that
// loads no framework, for the commands that move stores (and the specs that test them).

/** The embedded stores' files in DATA_DIR. */
export const EMBEDDED_FILES = { events: 'events.sqlite', keyring: 'keyring.sqlite', readModels: 'read-models.sqlite' } as const;

/** Tenants' data keys live outside the event log, so that destroying one really removes it. */
export function openConfiguredDataKeyStore(config: AppConfig): DataKeyStore {
  if (!config.eventStoreUrl) return new SqliteDataKeyStore(join(config.dataDir, EMBEDDED_FILES.keyring));
  return eventStoreKind(config.eventStoreUrl) === 'postgres'
    ? new PostgresDataKeyStore(config.eventStoreUrl)
    : new KurrentDbDataKeyStore(connectKurrentDb(config.eventStoreUrl) as unknown as KeyringClient);
}

/**
 * The key-encryption keys the configuration names, current first, without creating any: for a
 * command that reads or moves a store's keyring, where a new development key would be the wrong one.
 * `developmentKeyFile` is where the current one comes from when KEY_ENCRYPTION_KEY is not set.
 */
export function configuredKeyEncryptionKeys(config: AppConfig): { readonly keys: Buffer[]; readonly developmentKeyFile?: string } {
  if (config.keyEncryptionKey) return { keys: [config.keyEncryptionKey, ...config.previousKeyEncryptionKeys] };
  const development = existingDevelopmentSecret(config.dataDir, 'key-encryption-key');
  return development
    ? { keys: [development.value, ...config.previousKeyEncryptionKeys], developmentKeyFile: development.file }
    : { keys: [...config.previousKeyEncryptionKeys] };
}

/** The indexes over event data every writable store keeps (built once where missing), and that readers use where found. */
const DATA_INDEXES = Object.values(KEY_ACCESS_INDEXES);

/** The configured store as it is stored, no upcasting: for moving a history between stores, which must copy events as they are. */
export async function openRawEventStore(config: AppConfig, logger: JsonLogger, readOnly: boolean): Promise<EventStore> {
  if (config.eventStoreUrl && eventStoreKind(config.eventStoreUrl) === 'postgres') {
    // Connects and migrates (or checks the schema, read-only) before answering: a server that is not there fails the start.
    const store = await openPostgresEventStore({ connectionString: config.eventStoreUrl, logger, readOnly, indexes: DATA_INDEXES });
    logger.info('Event store: PostgreSQL', { url: redactUrl(config.eventStoreUrl), ...(readOnly ? { readOnly } : {}) });
    return store;
  }
  if (config.eventStoreUrl) {
    const store = await openKurrentDbEventStore({ connectionString: config.eventStoreUrl, logger });
    // Fail at start-up, not on the first command, when the cluster cannot be reached.
    await store.headPosition();
    logger.info('Event store: KurrentDB', { url: redactUrl(config.eventStoreUrl) });
    return store;
  }
  if (!readOnly) mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, EMBEDDED_FILES.events);
  // Whatever may take long at this open (a first index build, a check after a crash) runs off the event loop.
  const integrityCheck = readOnly
    ? config.eventStoreIntegrityCheck
    : await prepareSqliteFileAside(file, { integrityCheck: config.eventStoreIntegrityCheck, indexes: DATA_INDEXES, logger });
  const store = openSqliteEventStore({
    file,
    logger,
    readOnly,
    integrityCheck,
    indexes: DATA_INDEXES,
    // Webhook registrations, folded when a process takes the delivery lease: a handful of streams in a log of millions.
    sparseStreamPrefixes: [WEBHOOK_STREAM_PREFIX],
  });
  logger.info('Event store: embedded SQLite', { file, ...(readOnly ? { readOnly } : {}) });
  return store;
}

/** A URL with its password, if any, hidden: for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
