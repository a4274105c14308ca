import type { DataKeyEntry, DataKeyRecord, DataKeyStore } from './data-key-store';
import { rewrapDataKey, unwrapDataKey } from './tenant-keyring';

/** The target keyring holds data keys that are not the source's (another install's). Nothing was written. */
export class TargetHoldsOtherKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetHoldsOtherKeysError';
  }
}

/** Every entry of a keyring, read in full (one per tenant). */
export async function keyringEntries(store: Pick<DataKeyStore, 'entries'>): Promise<DataKeyEntry[]> {
  const entries: DataKeyEntry[] = [];
  for await (const entry of store.entries()) entries.push(entry);
  return entries;
}

/** The ids of the key-encryption keys that wrap a keyring's data keys: what a store holding it needs configured. */
export function wrappingKeyIds(entries: readonly DataKeyEntry[]): string[] {
  return [...new Set(entries.flatMap((entry) => (entry.record.state === 'active' ? [entry.record.key.kid] : [])))].sort();
}

/**
 * Opens every data key of a keyring with `keks`, keeping nothing: whether an install given these
 * keys can reveal its product keys. Throws KeyEncryptionKeyNotConfiguredError for a key wrapped
 * by a KEK that is not among them.
 */
export function checkDataKeysOpen(entries: readonly DataKeyEntry[], keks: ReadonlyMap<string, Buffer>): void {
  for (const { tenantId, record } of entries) if (record.state === 'active') unwrapDataKey(tenantId, record.key, keks).fill(0);
}

export interface KeyringCopyOptions {
  readonly source: Pick<DataKeyStore, 'entries'>;
  readonly target: DataKeyStore;
  /** The source's key-encryption keys by id: needed to re-wrap only. */
  readonly sourceKeys: ReadonlyMap<string, Buffer>;
  /** The target's key-encryption key when it is another one: every data key is re-wrapped by it. */
  readonly targetKey?: Buffer | undefined;
}

export interface KeyringCopyResult {
  /** Tenants in the source keyring, destroyed ones included. */
  readonly tenants: number;
  readonly destroyed: number;
  /** Entries written to the target now (the others were there already: a resumed copy). */
  readonly written: number;
  /** The ids of the key-encryption keys that wrap the target's data keys: what the product on the target needs. */
  readonly keyEncryptionKeyIds: string[];
}

type Step = 'create' | 'destroy' | 'keep' | { readonly conflict: string };

/**
 * What the copy does for a tenant, given what the source and the target hold: create what the
 * target lacks, keep what it has already (the same data key, by id), destroy on the target what
 * was destroyed in the source since (crypto-shredding wins), and refuse anything else.
 */
function stepFor(source: DataKeyEntry, target: DataKeyRecord): Step {
  const { record } = source;
  if (target.state === 'none') return record.state === 'active' ? 'create' : 'destroy';
  if (record.state === 'destroyed') return target.state === 'destroyed' ? 'keep' : 'destroy';
  if (target.state === 'active' && target.key.dekId === record.key.dekId) return 'keep';
  return { conflict: `the target keyring holds ${target.state === 'active' ? 'another data key' : 'a destroyed data key'} for tenant ${source.tenantId}` };
}

/**
 * Whether the source keyring can be copied onto the target, writing nothing: every key the target
 * holds must be the source's (on a target whose history is empty, it must hold none), and with a
 * target key every data key must open with the source's keys. Throws TargetHoldsOtherKeysError or
 * KeyEncryptionKeyNotConfiguredError.
 */
export async function checkKeyringCopy(options: KeyringCopyOptions, target: { readonly historyIsEmpty: boolean }): Promise<void> {
  const [source, existing] = await Promise.all([keyringEntries(options.source), keyringEntries(options.target)]);
  if (target.historyIsEmpty && existing.length > 0)
    throw new TargetHoldsOtherKeysError(`The target holds no events but its keyring holds ${existing.length} tenant key(s): it is another install's`);
  plan(source, existing);
  checkRewrap(source, options);
}

/** With a target key, whether every data key opens with the source's keys to be re-wrapped (KeyEncryptionKeyNotConfiguredError if not). */
export function checkRewrap(source: readonly DataKeyEntry[], options: Pick<KeyringCopyOptions, 'sourceKeys' | 'targetKey'>): void {
  const { sourceKeys, targetKey } = options;
  if (targetKey) for (const { tenantId, record } of source) if (record.state === 'active') rewrapDataKey(tenantId, record.key, sourceKeys, targetKey);
}

/**
 * Copies a keyring to another store, re-wrapping the data keys by `targetKey` when one is given.
 * Resumable: what the target holds already is kept. Read after the events were copied, the source
 * holds every data key those events need (a key is created before the first event that uses it).
 */
export async function copyKeyring(options: KeyringCopyOptions): Promise<KeyringCopyResult> {
  const source = await keyringEntries(options.source);
  const steps = plan(source, await keyringEntries(options.target));
  let written = 0;
  const kids = new Set<string>();
  for (const [i, entry] of source.entries()) {
    const { tenantId, record } = entry;
    const step = steps[i]!;
    if (record.state === 'active') {
      const key = options.targetKey ? rewrapDataKey(tenantId, record.key, options.sourceKeys, options.targetKey) : record.key;
      kids.add(key.kid);
      if (step === 'create') await options.target.create(tenantId, key);
    } else if (step === 'destroy') {
      await options.target.destroy(tenantId, record.destroyedAt);
    }
    if (step !== 'keep') written++;
  }
  return {
    tenants: source.length,
    destroyed: source.filter((entry) => entry.record.state === 'destroyed').length,
    written,
    keyEncryptionKeyIds: [...kids].sort(),
  };
}

/** Each source entry's step; TargetHoldsOtherKeysError for a conflict or a target tenant the source does not have. */
function plan(source: readonly DataKeyEntry[], existing: readonly DataKeyEntry[]): Exclude<Step, { conflict: string }>[] {
  const onTarget = new Map(existing.map((entry) => [entry.tenantId, entry.record]));
  const known = new Set(source.map((entry) => entry.tenantId));
  const stranger = existing.find((entry) => !known.has(entry.tenantId));
  if (stranger)
    throw new TargetHoldsOtherKeysError(
      `The target is not empty: its keyring holds a data key for tenant ${stranger.tenantId}, which the source does not have`,
    );
  return source.map((entry) => {
    const step = stepFor(entry, onTarget.get(entry.tenantId) ?? { state: 'none' });
    if (typeof step === 'object') throw new TargetHoldsOtherKeysError(`The target is not this install's: ${step.conflict}`);
    return step;
  });
}
