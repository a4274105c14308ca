import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppConfig } from '@csp/config';
import { digestHistory, formatPosition, NotAnEventStoreError, type HistorySummary } from '@csp/event-store';
import { openSqliteEventStore, snapshotSqliteFile } from '@csp/event-store/sqlite';
import { checkDataKeysOpen, keyEncryptionKeysById, keyringEntries, wrappingKeyIds, type DataKeyEntry } from '@csp/security';
import { SqliteDataKeyStore } from '@csp/security/sqlite';
import { configuredKeyEncryptionKeys, EMBEDDED_FILES } from '../configured-stores';
import { extractArchive, sha256OfFile, writeArchive } from './archive';
import { BackupDamagedError, StoreCommandRefused } from './errors';
import { manifestOf, MANIFEST_MEMBER, parseManifest, type BackupFile, type BackupManifest } from './manifest';

/** What a long step has done so far, for a progress bar. */
export interface StoreProgress {
  readonly step: string;
  readonly done: number;
  readonly total?: number;
  readonly unit: 'pages' | 'events' | 'MiB';
}

type OnProgress = ((progress: StoreProgress) => void) | undefined;

const MIB = 1 << 20;

function refuseServerStore(config: AppConfig, command: string): void {
  if (config.eventStoreUrl)
    throw new StoreCommandRefused(
      `${command} is for the embedded store in DATA_DIR, and EVENTSTORE_URL names a server: back that up with the server's own tools ` +
        `(pg_dump, KurrentDB's backups), or copy it to an embedded store (npm run store -- copy --to-data-dir <folder>) and back that up`,
    );
}

/** A consistent snapshot of one file; a file that is not SQLite is not the store the operator meant. */
async function snapshot(source: string, destination: string, step: string, onProgress: OnProgress): Promise<void> {
  try {
    await snapshotSqliteFile(source, destination, ({ copiedPages, totalPages }) => onProgress?.({ step, done: copiedPages, total: totalPages, unit: 'pages' }));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB')
      throw new NotAnEventStoreError(source, `${source} is not a store: it is not an SQLite database`);
    throw error;
  }
}

/** An event store file's history, read-only (its schema and integrity checked on the way); NotAnEventStoreError names `shownAs`. */
async function summarizeEvents(file: string, shownAs: string, onProgress: OnProgress): Promise<HistorySummary & { readonly head: string }> {
  let store;
  try {
    store = openSqliteEventStore({ file, readOnly: true });
  } catch (error) {
    if (error instanceof NotAnEventStoreError) throw new NotAnEventStoreError(shownAs, error.message.split(file).join(shownAs));
    throw new Error(error instanceof Error ? error.message.split(file).join(shownAs) : String(error), { cause: error });
  }
  try {
    const head = await store.headPosition();
    // The embedded store's positions number its events: the head is how many there are.
    const total = Math.max(0, Number(head.commit));
    const summary = await digestHistory(store, {
      until: head,
      onPage: (events) => onProgress?.({ step: 'checking events', done: events, total, unit: 'events' }),
    });
    return { ...summary, head: formatPosition(head) };
  } finally {
    await store.close();
  }
}

async function readKeyring(file: string): Promise<DataKeyEntry[]> {
  const keyring = new SqliteDataKeyStore(file, { readOnly: true });
  try {
    return await keyringEntries(keyring);
  } finally {
    await keyring.close();
  }
}

const fileEntry = async (file: string, name: string): Promise<BackupFile> => ({ file: name, bytes: statSync(file).size, sha256: await sha256OfFile(file) });

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

export interface BackupOptions {
  /** An empty scratch folder of the caller's, in the destination's folder (the archive is renamed from it into place); the caller removes it. */
  readonly workDir: string;
  /** The backup's file; replaced, if it exists, only once the new one is complete and synced. */
  readonly destination: string;
  readonly onProgress?: (progress: StoreProgress) => void;
}

/**
 * One consistent backup of the embedded install, running or not: a snapshot of the event store,
 * then one of the keyring (SQLite's online backup, each inside one read transaction, so writers
 * go on), checked and digested, then archived with a manifest and synced. Events first: every
 * data key an event of the snapshot needs was created before that event was appended, so it is in
 * the later keyring snapshot — unless it was destroyed in between, and then the destruction wins.
 */
export async function backUpEmbeddedStore(config: AppConfig, options: BackupOptions): Promise<BackupManifest> {
  refuseServerStore(config, 'backup');
  const { workDir, onProgress } = options;
  const source = join(config.dataDir, EMBEDDED_FILES.events);
  if (!isFile(source)) throw new NotAnEventStoreError(source, `No event store at ${source} (set DATA_DIR to the service's data directory)`);
  const createdAt = new Date().toISOString();
  const events = join(workDir, EMBEDDED_FILES.events);
  await snapshot(source, events, 'events snapshot', onProgress);
  const keyringSource = join(config.dataDir, EMBEDDED_FILES.keyring);
  const keyring = isFile(keyringSource) ? join(workDir, EMBEDDED_FILES.keyring) : undefined;
  if (keyring) await snapshot(keyringSource, keyring, 'keyring snapshot', onProgress);

  const summary = await summarizeEvents(events, source, onProgress);
  const keys = keyring ? await readKeyring(keyring) : undefined;
  const manifest = manifestOf({
    createdAt,
    events: { ...(await fileEntry(events, EMBEDDED_FILES.events)), count: summary.events, head: summary.head, digest: summary.digest },
    keyring: keyring && keys ? { ...(await fileEntry(keyring, EMBEDDED_FILES.keyring)), ...keyringFigures(keys) } : null,
  });
  const totalMiB = (manifest.events.bytes + (manifest.keyring?.bytes ?? 0)) / MIB;
  const archive = join(workDir, 'backup.tar');
  await writeArchive(
    archive,
    [
      { name: MANIFEST_MEMBER, source: { content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) } },
      { name: EMBEDDED_FILES.events, source: { file: events } },
      ...(keyring ? [{ name: EMBEDDED_FILES.keyring, source: { file: keyring } }] : []),
    ],
    (bytes) => onProgress?.({ step: 'archiving', done: bytes / MIB, total: totalMiB, unit: 'MiB' }),
  );
  renameSync(archive, options.destination);
  await syncFile(dirname(options.destination));
  return manifest;
}

function keyringFigures(keys: readonly DataKeyEntry[]) {
  return {
    tenants: keys.length,
    destroyed: keys.filter((entry) => entry.record.state === 'destroyed').length,
    keyEncryptionKeyIds: wrappingKeyIds(keys),
  };
}

export interface OpenedBackup {
  readonly manifest: BackupManifest;
  /** The keyring's entries (none without a keyring). */
  readonly keys: readonly DataKeyEntry[];
}

/**
 * Unpacks a backup into `folder` and checks it whole: the manifest first, then each file against
 * its size and SHA-256, the event store's schema and integrity, its count, head and digest
 * recomputed from its events, the keyring's tenants. NotABackupError for a file that is not one,
 * BackupDamagedError for any difference. Leaves the store files in `folder`.
 */
async function openBackup(file: string, folder: string, onProgress: OnProgress): Promise<OpenedBackup> {
  const members = await extractArchive(file, folder, MANIFEST_MEMBER, new Set([MANIFEST_MEMBER, EMBEDDED_FILES.events, EMBEDDED_FILES.keyring]));
  const manifestFile = members[0]!.file;
  const manifest = parseManifest(readFileSync(manifestFile, 'utf8'), file);
  rmSync(manifestFile);
  const described = [manifest.events, ...(manifest.keyring ? [manifest.keyring] : [])];
  if (manifest.events.file !== EMBEDDED_FILES.events || (manifest.keyring && manifest.keyring.file !== EMBEDDED_FILES.keyring))
    throw new BackupDamagedError(`${file}: its manifest names files this program does not restore`);
  for (const member of members.slice(1)) {
    const entry = described.find((d) => d.file === member.name);
    if (!entry) throw new BackupDamagedError(`${file} holds ${member.name}, which its manifest does not describe`);
    if (entry.bytes !== member.bytes || entry.sha256 !== member.sha256)
      throw new BackupDamagedError(
        `${file}: ${member.name} is not the file its manifest describes (${member.bytes} bytes, SHA-256 ${member.sha256}; the manifest says ${entry.bytes} bytes, ${entry.sha256})`,
      );
  }
  for (const entry of described)
    if (!members.some((m) => m.name === entry.file)) throw new BackupDamagedError(`${file} lacks ${entry.file}, which its manifest describes`);

  let summary;
  try {
    summary = await summarizeEvents(join(folder, EMBEDDED_FILES.events), `${file}:${EMBEDDED_FILES.events}`, onProgress);
  } catch (error) {
    throw new BackupDamagedError(`${file}: ${(error as Error).message}`);
  }
  const { count, head, digest } = manifest.events;
  if (summary.events !== count || summary.head !== head || summary.digest !== digest)
    throw new BackupDamagedError(
      `${file}: its events are not the ones it was taken with: ${summary.events} events up to position ${summary.head}, digest ${summary.digest}; ` +
        `its manifest says ${count} events up to ${head}, digest ${digest}`,
    );
  const keys = manifest.keyring ? await readKeyring(join(folder, EMBEDDED_FILES.keyring)) : [];
  if (manifest.keyring) {
    const found = keyringFigures(keys);
    const { tenants, destroyed, keyEncryptionKeyIds } = manifest.keyring;
    if (found.tenants !== tenants || found.destroyed !== destroyed || found.keyEncryptionKeyIds.join() !== keyEncryptionKeyIds.join())
      throw new BackupDamagedError(
        `${file}: its keyring holds ${found.tenants} tenants (${found.destroyed} destroyed), its manifest says ${tenants} (${destroyed} destroyed)`,
      );
  }
  return { manifest, keys };
}

export interface VerifiedBackup extends OpenedBackup {
  /** Whether the data keys were opened with the configured key-encryption keys, or none is configured here. */
  readonly keysOpened: boolean;
}

/**
 * Checks a backup without restoring it (unpacked into `workDir`, the caller's scratch folder), and
 * opens its data keys with the key-encryption keys configured here, if any (KEY_ENCRYPTION_KEY, or
 * DATA_DIR's development key): a backup whose KEK is lost cannot give its product keys back.
 */
export async function verifyBackup(
  config: AppConfig,
  options: { readonly from: string; readonly workDir: string; readonly onProgress?: OnProgress },
): Promise<VerifiedBackup> {
  const opened = await openBackup(options.from, options.workDir, options.onProgress);
  const { keys } = configuredKeyEncryptionKeys(config);
  if (keys.length === 0) return { ...opened, keysOpened: false };
  checkDataKeysOpen(opened.keys, keyEncryptionKeysById(keys));
  return { ...opened, keysOpened: true };
}

/**
 * Restores a backup into an empty (or absent) DATA_DIR: unpacked and checked whole in a scratch
 * folder inside it (`workDir`, which the caller removes), the data keys opened with the configured
 * KEK, the files synced, then moved into place — the keyring first, so that an event store in
 * DATA_DIR always has its keyring beside it. Refused, changing nothing, for a non-empty DATA_DIR, a
 * KEK that does not open the keys, or a backup that fails a check. Read models are not in a
 * backup: the API builds them from the events at its first start.
 */
export async function restoreBackup(
  config: AppConfig,
  options: { readonly from: string; readonly workDir: string; readonly onProgress?: OnProgress },
): Promise<OpenedBackup> {
  refuseServerStore(config, 'restore');
  const { dataDir } = config;
  const existing = statSync(dataDir, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new StoreCommandRefused(`DATA_DIR ${dataDir} is not a folder`);
  const present = existing ? readdirSync(dataDir) : [];
  if (present.length > 0)
    throw new StoreCommandRefused(
      `DATA_DIR ${dataDir} is not empty (it holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? '…' : ''}): restore into an empty folder`,
    );
  mkdirSync(options.workDir, { recursive: true, mode: 0o700 });
  try {
    const opened = await openBackup(options.from, options.workDir, options.onProgress);
    if (opened.keys.some((entry) => entry.record.state === 'active')) {
      const { keys } = configuredKeyEncryptionKeys(config);
      checkDataKeysOpen(opened.keys, keyEncryptionKeysById(keys));
    }
    const files = [EMBEDDED_FILES.keyring, EMBEDDED_FILES.events].filter((name) => isFile(join(options.workDir, name)));
    for (const name of files) await syncFile(join(options.workDir, name));
    for (const name of files) renameSync(join(options.workDir, name), join(dataDir, name));
    rmSync(options.workDir, { recursive: true, force: true });
    await syncFile(dataDir);
    return opened;
  } catch (error) {
    rmSync(options.workDir, { recursive: true, force: true });
    // A DATA_DIR this restore made is left as it found it: absent.
    if (!existing && readdirSync(dataDir).length === 0) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** fsync of a file or folder: what a rename moves into place must be on disk first, and the rename itself too. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
