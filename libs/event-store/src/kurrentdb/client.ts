import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendResult as KurrentAppendResult,
  AppendToStreamOptions,
  EventData,
  ReadAllOptions as KurrentReadAllOptions,
  ReadStreamOptions as KurrentReadStreamOptions,
  ResolvedEvent,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';

/**
 * The part of the KurrentDB client the adapter uses. The real client satisfies it; tests inject
 * a fake, which is how everything but the wire protocol is tested without a server.
 */
export interface KurrentClient {
  appendToStream(streamName: string, events: EventData[], options?: AppendToStreamOptions): Promise<KurrentAppendResult>;
  readStream(streamName: string, options?: KurrentReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options?: KurrentReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): AllStreamSubscription;
  dispose(): Promise<void>;
}

/** The client takes kurrentdb:// and kdb://; it still reads esdb:// but warns on every start, so translate it. */
export function normaliseConnectionString(connectionString: string): string {
  return connectionString.replace(/^esdb(\+discover)?:\/\//, (_match, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
}

/** Loads the real client only when KurrentDB is configured: the embedded default never loads gRPC. */
export function connect(connectionString: string): KurrentClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KurrentDBClient } = require('@kurrent/kurrentdb-client') as typeof import('@kurrent/kurrentdb-client');
  return KurrentDBClient.connectionString(normaliseConnectionString(connectionString));
}
