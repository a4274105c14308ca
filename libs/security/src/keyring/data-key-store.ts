/** A tenant's data key, wrapped (AES-256-GCM) by a key-encryption key from configuration. */
export interface WrappedDataKey {
  readonly dekId: string;
  /** Id of the key-encryption key that wrapped it. */
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
  readonly createdAt: string;
}

export type DataKeyRecord =
  | { readonly state: 'none' }
  | { readonly state: 'active'; readonly key: WrappedDataKey }
  /** Crypto-shredded: the wrapped key is gone for good; only the fact and the instant remain. */
  | { readonly state: 'destroyed'; readonly destroyedAt: string };

/** A tenant that has or had a data key, as a keyring holds it: what a backup or a copy to another store carries. */
export interface DataKeyEntry {
  readonly tenantId: string;
  readonly record: Exclude<DataKeyRecord, { readonly state: 'none' }>;
}

/** The keyring cannot be read or written (its server is down, its disk full): nothing was changed there. */
export class KeyringUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyringUnavailableError';
  }
}

/**
 * Where tenants' wrapped data keys live — outside the event log, because destroying one must
 * really remove it, and events are never removed. Embedded: a SQLite file; KurrentDB: one
 * stream per tenant, tombstoned to destroy; PostgreSQL: one row per tenant, deleted to destroy.
 */
export interface DataKeyStore {
  read(tenantId: string): Promise<DataKeyRecord>;
  /** Stores the key unless the tenant already has one (or had one); returns what is stored. */
  create(tenantId: string, key: WrappedDataKey): Promise<DataKeyRecord>;
  destroy(tenantId: string, at: string): Promise<void>;
  /** Every tenant that has or had a data key, destroyed ones too. */
  entries(): AsyncIterable<DataKeyEntry>;
  close(): Promise<void>;
}
