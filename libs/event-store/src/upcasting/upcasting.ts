import type { EventMetadata, EventStore, RecordedEvent, SubscriptionHandler } from '../port';

/**
 * Upcasting: reading an event stored under an older schema version as the current shape.
 *
 * Stored events are never rewritten. Each time the payload of an event type changes shape, its
 * schema version goes up by one and an upcaster (version n → n + 1, a pure function of the
 * stored payload) is registered. On read, an event stored under version n goes through every
 * step up to the current version; its metadata then says the current `schemaVersion` and keeps
 * the stored one in `upcastFrom`. Applied as a decorator of the EventStore port, so the write
 * side (stream loading) and the read side (projections, rebuilds, audit replays) share it.
 */
export interface EventUpcaster {
  readonly eventType: string;
  readonly fromVersion: number;
  upcast(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** The event was written by a newer program, or a step of its upcasting chain is missing. */
export class UpcastingError extends Error {
  constructor(
    message: string,
    readonly eventId: string,
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super(message);
    this.name = 'UpcastingError';
  }
}

export class UpcasterChain {
  private readonly steps = new Map<string, EventUpcaster>();

  constructor(
    upcasters: readonly EventUpcaster[],
    /** The schema version the program writes and understands today, per event type. */
    private readonly currentVersion: (eventType: string) => number,
  ) {
    for (const upcaster of upcasters) {
      const key = `${upcaster.eventType}@${upcaster.fromVersion}`;
      if (this.steps.has(key)) throw new Error(`Two upcasters for ${upcaster.eventType} from version ${upcaster.fromVersion}`);
      if (upcaster.fromVersion < 1 || upcaster.fromVersion >= currentVersion(upcaster.eventType)) {
        throw new Error(
          `The upcaster for ${upcaster.eventType} from version ${upcaster.fromVersion} leads beyond its current version ${currentVersion(upcaster.eventType)}`,
        );
      }
      this.steps.set(key, upcaster);
    }
  }

  /** The event in its current shape; the very same object when it is already current. */
  upcast<E extends Pick<RecordedEvent, 'eventId' | 'type' | 'data' | 'metadata'>>(event: E): E {
    const current = this.currentVersion(event.type);
    const stored = storedVersion(event.metadata);
    if (stored === current) return event;
    if (stored > current) {
      throw new UpcastingError(
        `${event.type} ${event.eventId} was written under schema version ${stored}, newer than this program understands (${current}): upgrade this program`,
        event.eventId,
        event.type,
        stored,
      );
    }
    let data = event.data as Record<string, unknown>;
    for (let version = stored; version < current; version++) {
      const step = this.steps.get(`${event.type}@${version}`);
      if (!step) {
        throw new UpcastingError(
          `No upcaster turns ${event.type} version ${version} into version ${version + 1} (event ${event.eventId})`,
          event.eventId,
          event.type,
          stored,
        );
      }
      data = step.upcast(data);
    }
    const metadata: EventMetadata = { ...event.metadata, schemaVersion: current, upcastFrom: stored };
    return { ...event, data, metadata };
  }

  upcastAll<E extends Pick<RecordedEvent, 'eventId' | 'type' | 'data' | 'metadata'>>(events: readonly E[]): E[] {
    return events.map((event) => this.upcast(event));
  }
}

/** Events stored before metadata carried a version are version 1. */
function storedVersion(metadata: EventMetadata | undefined): number {
  const version = metadata?.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
}

const UPCASTING = Symbol('upcasting');

/**
 * The store, reading every event in its current shape. Appends pass through unchanged: events are
 * written in the current shape already. Wrapping an already wrapped store returns it as is.
 */
export function withUpcasting(store: EventStore, chain: UpcasterChain): EventStore {
  if ((store as { [UPCASTING]?: boolean })[UPCASTING]) return store;
  const wrapped: EventStore & { [UPCASTING]: true } = {
    [UPCASTING]: true,
    append: (streamId, events, expectedRevision) => store.append(streamId, events, expectedRevision),
    readStream: async (streamId, options) => chain.upcastAll(await store.readStream(streamId, options)),
    readAll: async (options) => chain.upcastAll(await store.readAll(options)),
    ...(store.readIndexed && {
      readIndexed: async (index, options) => {
        const page = await store.readIndexed!(index, options);
        return page && chain.upcastAll(page);
      },
    }),
    subscribe: (handler: SubscriptionHandler, options) => store.subscribe((events) => handler(chain.upcastAll(events)), options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  return wrapped;
}
