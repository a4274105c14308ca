import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '@csp/config';
import type { JsonLogger } from '@csp/application';
import { schemaVersionOf, WEBHOOK_STREAM_PREFIX, webhookStreamId, type Actor } from '@csp/domain';
import {
  comparePositions,
  copyHistory,
  formatPosition,
  historyPages,
  START,
  type EventStore,
  type HistoryCopyProgress,
  type HistoryCopyResult,
  type Position,
} from '@csp/event-store';
import { decideWebhook, evolveWebhook, initialWebhookState, type WebhookCheckpointed, type WebhookEvent } from '@csp/webhooks';
import { checkKeyringCopy, checkRewrap, copyKeyring, keyEncryptionKeysById, keyringEntries, type DataKeyStore, type KeyringCopyResult } from '@csp/security';
import { SqliteDataKeyStore } from '@csp/security/sqlite';
import { KEYRING_STREAM_PREFIX } from '@csp/security/kurrentdb';
import { configuredKeyEncryptionKeys, EMBEDDED_FILES, openConfiguredDataKeyStore, openRawEventStore } from '../configured-stores';
import { StoreCommandRefused } from './errors';

/** Where a copy goes: a server (EVENTSTORE_URL's forms) or an embedded store's folder. */
export type CopyTarget = { readonly eventStoreUrl: string } | { readonly dataDir: string };

/** The stores on both sides of a copy, however they were opened (the CLI opens configured ones; tests inject others). */
export interface CopyStores {
  readonly source: { readonly events: EventStore; readonly keyring: Pick<DataKeyStore, 'entries'> };
  readonly target: { readonly events: EventStore; readonly keyring: DataKeyStore };
}

export interface StoreCopyOptions {
  /**
   * The last copy before the product starts on the target: once both digests agree, each webhook's
   * checkpoint is moved to the target's position of its event (an event appended to the target's
   * history, so no copy can go on onto this target afterwards).
   */
  readonly final?: boolean;
  /** The source's key-encryption keys (needed to re-wrap only). */
  readonly sourceKeys: readonly Buffer[];
  /** The target's key-encryption key, when it is not the source's: the data keys are re-wrapped by it. */
  readonly targetKey?: Buffer;
  readonly batchEvents?: number;
  readonly onProgress?: (progress: HistoryCopyProgress) => void;
}

export interface StoreCopyResult {
  readonly history: HistoryCopyResult;
  readonly keyring: KeyringCopyResult;
  /** Whether both sides' histories have the same events and digest. */
  readonly identical: boolean;
  /**
   * The webhooks whose last checkpoint names a position of the source, with the target's position
   * of the same event: positions are each store's own, so on the target each is resumed from there.
   */
  readonly webhooks: readonly MovedCheckpoint[];
  /** Whether those checkpoints were moved on the target (`final`). */
  readonly webhooksMoved: boolean;
}

interface MovedCheckpoint {
  readonly webhookId: string;
  readonly sourcePosition: string;
  readonly targetPosition: string;
}

/**
 * KurrentDB keeps the keyring in its log: those streams are not history, on either side (copied,
 * wrapped data keys would become events that can never be deleted, and crypto-shredding would end).
 */
const NOT_HISTORY = [KEYRING_STREAM_PREFIX];

/**
 * Copies a store to another: the history first (up to the source's head when the copy starts),
 * then the keyring, read after the events so that it holds every data key they need; then the
 * target's history is digested on its own and compared with the source's. Everything that would
 * refuse the copy — a target holding other events or other keys, a KEK that cannot re-wrap — is
 * checked before anything is written. Resumable: run it again and it goes on where the target is.
 */
export async function copyStore(stores: CopyStores, options: StoreCopyOptions): Promise<StoreCopyResult> {
  const { source, target } = stores;
  const until = await source.events.headPosition();
  const targetIsEmpty = (await historyPages(target.events, { excludedStreamPrefixes: NOT_HISTORY, pageSize: 1 }).next()).done === true;
  const keyring = { source: source.keyring, target: target.keyring, sourceKeys: keyEncryptionKeysById(options.sourceKeys), targetKey: options.targetKey };
  await checkKeyringCopy(keyring, { historyIsEmpty: targetIsEmpty });
  const { batchEvents, onProgress } = options;
  const checkpoints = await webhookCheckpoints(source.events, until);
  const locate = new Set(checkpoints.values());
  const history = await copyHistory({
    source: source.events,
    target: target.events,
    until,
    excludedStreamPrefixes: NOT_HISTORY,
    batchEvents,
    onProgress,
    locate,
  });
  const keys = await copyKeyring(keyring);
  const webhooks: MovedCheckpoint[] = [];
  for (const [webhookId, sourcePosition] of checkpoints) {
    const event = history.located.get(sourcePosition);
    const [there] = event ? await target.events.readStream(event.streamId, { fromRevision: event.revision, maxCount: 1 }) : [];
    if (there && formatPosition(there.position) !== sourcePosition)
      webhooks.push({ webhookId, sourcePosition, targetPosition: formatPosition(there.position) });
  }
  const identical = history.source.events === history.target.events && history.source.digest === history.target.digest;
  const webhooksMoved = identical && options.final === true && webhooks.length > 0;
  if (webhooksMoved) await moveWebhookCheckpoints(target.events, webhooks, new Date().toISOString());
  return { history, keyring: keys, identical, webhooks, webhooksMoved };
}

/** Who the events the copy writes itself are by. */
const STORE_COPY: Actor = { sub: 'store-copy', tid: '00000000-0000-0000-0000-000000000000', roles: [] };

/**
 * Each webhook checkpointed anew at the target's position of the event it had delivered last, as
 * its dispatcher would have: decided by the webhooks context, appended to the webhook's stream.
 */
async function moveWebhookCheckpoints(target: EventStore, moved: readonly MovedCheckpoint[], now: string): Promise<void> {
  for (const { webhookId, targetPosition } of moved) {
    const stream = webhookStreamId(webhookId);
    const recorded = await target.readStream(stream);
    const state = recorded.reduce((folded, event) => evolveWebhook(folded, event as unknown as WebhookEvent), initialWebhookState);
    const decided = decideWebhook({ type: 'CheckpointWebhook', data: { webhookId, position: targetPosition }, metadata: { actor: STORE_COPY, now } }, state);
    const metadata = (type: string) => ({ occurredAt: now, actor: STORE_COPY, correlationId: randomUUID(), schemaVersion: schemaVersionOf(type) });
    await target.append(
      stream,
      decided.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: metadata(event.type) })),
      recorded[recorded.length - 1]?.revision ?? 'no_stream',
    );
  }
}

/** Each webhook's last checkpoint in the source's history up to `until`: the position of the last event it delivered. */
async function webhookCheckpoints(store: EventStore, until: Position): Promise<Map<string, string>> {
  const checkpoints = new Map<string, string>();
  const checkpointed: WebhookCheckpointed['type'] = 'WebhookCheckpointed';
  const filter = { streamPrefixes: [WEBHOOK_STREAM_PREFIX], eventTypes: [checkpointed] };
  for (let after = START; ;) {
    const page = await store.readAll({ after, filter, maxCount: 1000 });
    for (const event of page) {
      if (comparePositions(event.position, until) > 0) return checkpoints;
      const { webhookId, position } = event.data as WebhookCheckpointed['data'];
      checkpoints.set(webhookId, position);
    }
    if (page.length === 0) return checkpoints;
    after = page[page.length - 1]!.position;
  }
}

/** The configuration the product on the target would run with: the same one, its store moved. */
function targetConfig(config: AppConfig, target: CopyTarget): AppConfig {
  if ('eventStoreUrl' in target) return { ...config, eventStoreUrl: target.eventStoreUrl };
  return { ...config, eventStoreUrl: undefined, dataDir: resolve(target.dataDir) };
}

/** The configured store's keyring, read only; an embedded install that never encrypted a key has none. */
function sourceKeyring(config: AppConfig): DataKeyStore | (Pick<DataKeyStore, 'entries'> & { close(): Promise<void> }) {
  if (config.eventStoreUrl) return openConfiguredDataKeyStore(config);
  const file = join(config.dataDir, EMBEDDED_FILES.keyring);
  if (existsSync(file)) return new SqliteDataKeyStore(file, { readOnly: true });
  return { entries: async function* () {}, close: async () => undefined };
}

export interface ConfiguredCopy extends StoreCopyResult {
  /** The source's current KEK file when it is the development key in DATA_DIR (KEY_ENCRYPTION_KEY unset). */
  readonly developmentKeyFile?: string;
}

/**
 * Copies the configured store (DATA_DIR's, or EVENTSTORE_URL's), opened read-only, to `target`,
 * opened as the product would open it there (a PostgreSQL database is migrated, a folder created).
 */
export async function copyConfiguredStore(
  config: AppConfig,
  logger: JsonLogger,
  target: CopyTarget,
  options: Omit<StoreCopyOptions, 'sourceKeys' | 'onProgress'> & {
    readonly onProgress?: (progress: HistoryCopyProgress & { readonly total?: number }) => void;
  } = {},
): Promise<ConfiguredCopy> {
  const destination = targetConfig(config, target);
  if ((config.eventStoreUrl ?? '') === (destination.eventStoreUrl ?? '') && resolve(config.dataDir) === destination.dataDir)
    throw new StoreCommandRefused('The target is the configured store itself: name another one');
  const { keys, developmentKeyFile } = configuredKeyEncryptionKeys(config);
  const opened: { close(): Promise<void> }[] = [];
  const keep = <T extends { close(): Promise<void> }>(store: T) => {
    opened.push(store);
    return store;
  };
  try {
    const sourceEvents = keep(await openRawEventStore(config, logger, true));
    const keyring = keep(sourceKeyring(config));
    // Before the target is opened (a folder created, a database migrated): a KEK that cannot re-wrap leaves nothing behind.
    checkRewrap(await keyringEntries(keyring), { sourceKeys: keyEncryptionKeysById(keys), targetKey: options.targetKey });
    const stores: CopyStores = {
      source: { events: sourceEvents, keyring },
      target: { events: keep(await openRawEventStore(destination, logger, false)), keyring: keep(openConfiguredDataKeyStore(destination)) },
    };
    // The embedded store's positions number its events: its head says how many there are to copy.
    const total = config.eventStoreUrl ? undefined : Math.max(0, Number((await sourceEvents.headPosition()).commit));
    const { onProgress } = options;
    const result = await copyStore(stores, {
      ...options,
      sourceKeys: keys,
      ...(onProgress ? { onProgress: (progress: HistoryCopyProgress) => onProgress({ ...progress, ...(total !== undefined ? { total } : {}) }) } : {}),
    });
    return { ...result, ...(developmentKeyFile && !options.targetKey ? { developmentKeyFile } : {}) };
  } finally {
    for (const store of opened.reverse()) await store.close().catch(() => undefined);
  }
}
