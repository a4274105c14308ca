/**
 * Where read models live. A read model's documents and ordered indexes sit in a namespace
 * (model name + generation), with the checkpoint of the last event applied to it. Changes and
 * checkpoint are committed together, atomically, and only if the checkpoint is still the one the
 * writer started from — so a crash or a second projector can never apply an event twice.
 */
export interface Namespace {
  readonly model: string;
  readonly generation: number;
}

export type ReadModelOp =
  | { readonly op: 'put'; readonly key: string; readonly value: unknown }
  | { readonly op: 'del'; readonly key: string }
  /** Ordered indexes hold string entries sorted byte-wise; entries are designed to sort as queried. */
  | { readonly op: 'index-add'; readonly index: string; readonly entry: string }
  | { readonly op: 'index-remove'; readonly index: string; readonly entry: string };

export interface EntryRange {
  /** Inclusive lower bound. */
  readonly from?: string;
  /** Exclusive lower bound (a cursor: the last entry already seen). */
  readonly after?: string;
  /** Exclusive upper bound. */
  readonly before?: string;
  /**
   * Entries of the range to skip before the first one returned: a page by position, for answers
   * paged by offset. The store skips them inside its own index, sending none of them.
   */
  readonly offset?: number;
  readonly limit?: number;
}

export interface CommitRequest {
  readonly ops: readonly ReadModelOp[];
  /** The checkpoint the batch was computed from (undefined: nothing applied yet). */
  readonly expectedCheckpoint: string | undefined;
  readonly checkpoint: string;
  /** When set, the commit only succeeds while this owner holds the model's lease. */
  readonly leaseOwner?: string;
  /**
   * Live writers commit only to the generation queries read, so that a rebuild's switch stops
   * them; a rebuild writes its new generation before it is current.
   */
  readonly requireCurrentGeneration?: boolean;
}

/** The checkpoint moved under the writer (another projector, or a rebuild switched generations). */
export class CheckpointConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointConflictError';
  }
}

/**
 * The read-model store cannot be reached (Redis down, the connection lost): nothing was read or
 * written. The API answers 503 `store_unavailable`; the runner retries from its checkpoint.
 */
export class ReadModelStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadModelStoreUnavailableError';
  }
}

export interface ReadModelDump {
  readonly checkpoint?: string;
  readonly docs: Record<string, unknown>;
  readonly indexes: Record<string, string[]>;
}

export interface ReadModelStore {
  readonly kind: 'memory' | 'redis' | 'sqlite';
  /** The generation queries read; 1 for a model never rebuilt. */
  currentGeneration(model: string): Promise<number>;
  /** Atomically points queries at another generation. */
  switchGeneration(model: string, generation: number): Promise<void>;
  checkpoint(ns: Namespace): Promise<string | undefined>;
  commit(ns: Namespace, request: CommitRequest): Promise<void>;
  get(ns: Namespace, key: string): Promise<unknown | undefined>;
  getMany(ns: Namespace, keys: readonly string[]): Promise<(unknown | undefined)[]>;
  entries(ns: Namespace, index: string, range?: EntryRange): Promise<string[]>;
  /** Everything in a generation, for verification (auditors, crash tests); not for serving queries. */
  dump(ns: Namespace): Promise<ReadModelDump>;
  /** Deletes a generation's documents, indexes and checkpoint. */
  drop(ns: Namespace): Promise<void>;
  /** Takes or renews the model's lease for `owner`; false while another owner holds it. */
  acquireLease(model: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(model: string, owner: string): Promise<void>;
  /** Who holds the model's lease now (a live projector renews it), if anyone. */
  leaseHolder(model: string): Promise<string | undefined>;
  /**
   * Optional, for a store shared by processes of several releases (Redis): the fingerprint of the
   * projection that built a generation (projectionFingerprint), so that a runner of another
   * release rebuilds it beside the live one. Undefined for one never recorded.
   */
  builtBy?(ns: Namespace): Promise<string | undefined>;
  recordBuiltBy?(ns: Namespace, fingerprint: string): Promise<void>;
  close(): Promise<void>;
}
