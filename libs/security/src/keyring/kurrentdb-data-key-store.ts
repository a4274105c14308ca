import type {
  AllStreamResolvedEvent,
  AppendToStreamOptions,
  EventData,
  ReadAllOptions,
  ReadStreamOptions,
  ResolvedEvent,
  TombstoneStreamOptions,
} from '@kurrent/kurrentdb-client';
import type { DataKeyEntry, DataKeyRecord, DataKeyStore, WrappedDataKey } from './data-key-store';

/** The part of the KurrentDB client the keyring uses (tests inject a fake). */
export interface KeyringClient {
  appendToStream(streamName: string, events: EventData[], options?: AppendToStreamOptions): Promise<unknown>;
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<ResolvedEvent>;
  tombstoneStream(streamName: string, options?: TombstoneStreamOptions): Promise<unknown>;
  readAll(options?: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
}

/**
 * The keyring's streams share the log with the product's events: whoever reads the whole log as
 * the product's history (a copy to another store) leaves these out.
 */
export const KEYRING_STREAM_PREFIX = 'tenantDataKey-';

const streamOf = (tenantId: string) => `${KEYRING_STREAM_PREFIX}${tenantId}`;
/** The client's errors carry a `type` (its ErrorType); read that rather than class names. */
const typeOf = (error: unknown) => (error as { type?: unknown } | null)?.type;

/**
 * The shared keyring of a KurrentDB install: one stream per tenant holding its wrapped data key.
 * Destroying tombstones the stream: it can never be written again and the server drops its data at
 * the next scavenge.
 */
export class KurrentDbDataKeyStore implements DataKeyStore {
  constructor(private readonly client: KeyringClient) {}

  async read(tenantId: string): Promise<DataKeyRecord> {
    try {
      for await (const resolved of this.client.readStream(streamOf(tenantId), { maxCount: 1 })) {
        if (resolved.event) return { state: 'active', key: resolved.event.data as unknown as WrappedDataKey };
      }
      return { state: 'none' };
    } catch (error) {
      if (typeOf(error) === 'stream-not-found') return { state: 'none' };
      if (typeOf(error) === 'stream-deleted') return { state: 'destroyed', destroyedAt: 'unknown' };
      throw error;
    }
  }

  async create(tenantId: string, key: WrappedDataKey): Promise<DataKeyRecord> {
    try {
      await this.client.appendToStream(
        streamOf(tenantId),
        [{ id: key.dekId, contentType: 'application/json', type: 'TenantDataKeyCreated', data: { ...key }, metadata: undefined } as EventData],
        { streamState: 'no_stream' },
      );
    } catch (error) {
      // Another replica created it first, or it was destroyed: what is stored wins.
      if (typeOf(error) !== 'wrong-expected-version' && typeOf(error) !== 'stream-deleted') throw error;
    }
    return this.read(tenantId);
  }

  async destroy(tenantId: string): Promise<void> {
    try {
      await this.client.tombstoneStream(streamOf(tenantId));
    } catch (error) {
      if (typeOf(error) !== 'stream-deleted') throw error;
    }
  }

  /** The tenants are the keyring's streams in $all (a tombstone stays there as `$streamDeleted`); each one's state is its stream's. */
  async *entries(): AsyncGenerator<DataKeyEntry> {
    const tenants = new Set<string>();
    for await (const { event } of this.client.readAll({ filter: { filterOn: 'streamName', prefixes: [KEYRING_STREAM_PREFIX], checkpointInterval: 1 } })) {
      if (event?.streamId.startsWith(KEYRING_STREAM_PREFIX)) tenants.add(event.streamId.slice(KEYRING_STREAM_PREFIX.length));
    }
    for (const tenantId of [...tenants].sort()) {
      const record = await this.read(tenantId);
      if (record.state !== 'none') yield { tenantId, record };
    }
  }

  async close(): Promise<void> {
    // The client belongs to the event store adapter, which closes it.
  }
}
