import { NotABackupError } from './errors';

/** The backup's first member: what it holds and how to check it, written once the snapshots are taken. */
export const MANIFEST_MEMBER = 'manifest.json';
const FORMAT = 'csp-backup';
const VERSION = 1;

export interface BackupFile {
  /** The member's name in the archive, which is also the file's name in DATA_DIR. */
  readonly file: string;
  readonly bytes: number;
  /** Hex SHA-256 of the file. */
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  /** When the backup was taken (the system clock of the machine that took it). */
  readonly createdAt: string;
  readonly events: BackupFile & {
    readonly count: number;
    /** The position of the last event in the snapshot (the head when it was taken). */
    readonly head: string;
    /** The history's digest (HistoryDigest): the same on any store the history is copied to. */
    readonly digest: string;
  };
  /** Absent when the install never had a keyring (no product key was ever encrypted). */
  readonly keyring: (BackupFile & { readonly tenants: number; readonly destroyed: number; readonly keyEncryptionKeyIds: readonly string[] }) | null;
}

export function manifestOf(parts: Omit<BackupManifest, 'format' | 'version'>): BackupManifest {
  return { format: FORMAT, version: VERSION, ...parts };
}

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isSha256 = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

function checkFile(value: unknown, name: string): string | undefined {
  const file = value as Partial<BackupFile> | null;
  if (typeof file !== 'object' || file === null) return `${name} is missing`;
  if (typeof file.file !== 'string' || !/^[a-z-]+\.sqlite$/.test(file.file)) return `${name}.file is not a store file name`;
  if (!isCount(file.bytes) || !isSha256(file.sha256)) return `${name} has no size or SHA-256`;
  return undefined;
}

/** The manifest a backup starts with; NotABackupError for anything else (another program's archive, a newer format). */
export function parseManifest(text: string, source: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new NotABackupError(`${source} is not a backup: its manifest is not JSON`);
  }
  if (manifest?.format !== FORMAT) throw new NotABackupError(`${source} is not a backup of this product (its manifest's format is not ${FORMAT})`);
  if (manifest.version !== VERSION)
    throw new NotABackupError(`${source} is a backup of format version ${String(manifest.version)}; this program reads version ${VERSION}`);
  const events = manifest.events;
  const problem =
    checkFile(events, 'events') ??
    (manifest.keyring === null ? undefined : checkFile(manifest.keyring, 'keyring')) ??
    (!isCount(events.count) || typeof events.head !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(String(events.digest))
      ? 'events has no count, head or digest'
      : undefined) ??
    (manifest.keyring && (!isCount(manifest.keyring.tenants) || !Array.isArray(manifest.keyring.keyEncryptionKeyIds))
      ? 'keyring has no tenants or key ids'
      : undefined);
  if (problem) throw new NotABackupError(`${source} has a manifest this program cannot use: ${problem}`);
  return manifest;
}
