import type { Logger } from '@csp/config';
import { CUSTOMER_REGISTRY_STREAM_PREFIX, ORDER_STREAM_PREFIX, REFUND_REQUEST_STREAM_PREFIX } from '@csp/domain';
import type { EventStore, Position } from '@csp/event-store';
import type { Metrics } from '@csp/observability';
import type { Projection } from './projection';
import { checkpointPosition, hasApplied, measureLag } from './runner/lag';
import { ProjectionRunner, type RunnerLag } from './runner/projection-runner';
import type { ReadModelStore } from './stores/port';

/** The streams read models are built from. */
export const PRODUCT_STREAMS = [ORDER_STREAM_PREFIX, CUSTOMER_REGISTRY_STREAM_PREFIX, REFUND_REQUEST_STREAM_PREFIX] as const;

/** How often a read side that does not project looks at the checkpoints another process writes. */
const CHECKPOINT_POLL_MS = 20;

/** A read model behind the log whose checkpoint has not moved for this long is stalled, lease or not. */
export const STALLED_AFTER_MS = 30_000;

/**
 * A read model's state as a process sees it: its own runner's, or — for a read model another
 * process projects — `running`, or `stalled` when no live process advances it (nobody holds its
 * lease, or its checkpoint has not moved for STALLED_AFTER_MS) while the log is ahead.
 */
export type ReadModelLag = Omit<RunnerLag, 'state'> & {
  readonly state: RunnerLag['state'] | 'stalled';
  /** For a read model another process projects: the owner of its lease, null when nobody holds it. */
  readonly leaseHolder?: string | null;
  /** How long it has been behind with its checkpoint still: since the store recorded the oldest event it has to apply. */
  readonly stalledForSeconds?: number;
};

export interface ReadSideOptions {
  readonly eventStore: EventStore;
  /** The read-model store, opened (and closed) by the caller: memory or Redis (libs/runtime). */
  readonly store: ReadModelStore;
  /**
   * Run the projections in this process (default), or only query what another process projects
   * into a shared store. A memory store is only ever filled by this process.
   */
  readonly project?: boolean;
  readonly logger?: Logger;
  /** With several projecting processes on one Redis: this process's lease owner id. */
  readonly leaseOwner?: string;
  /** The read models to keep: the product's are PROJECTIONS in libs/runtime. */
  readonly projections: readonly Projection[];
  readonly batchSize?: number;
  /** Where the runners report their batches' durations. */
  readonly metrics?: Metrics;
}

export interface ReadSide {
  readonly store: ReadModelStore;
  readonly runners: readonly ProjectionRunner[];
  /** Whether this process applies events (false: it only queries what another process projects). */
  readonly projecting: boolean;
  start(): Promise<void>;
  /** Stops the runners after their current batch (the store stays open: its opener closes it). */
  stop(): Promise<void>;
  /** Read-your-writes: resolves true once every read model has applied everything up to `position`. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean>;
  /** Per read model: its status, checkpoint, the log's head and how many events it has left. */
  lag(): Promise<ReadModelLag[]>;
}

/** The read side of the product: read models, the runners that keep them, and the queries over them. */
export function createReadSide(options: ReadSideOptions): ReadSide {
  const { eventStore, store } = options;
  const { projections } = options;
  const filter = { streamPrefixes: PRODUCT_STREAMS };
  const projecting = options.project ?? true;
  if (!projecting && store.kind === 'memory') throw new Error('An in-memory read side that does not project would stay empty: project, or use Redis');
  const runners = projecting
    ? projections.map(
        (projection) =>
          new ProjectionRunner({
            projection,
            eventStore,
            store,
            streamPrefixes: PRODUCT_STREAMS,
            logger: options.logger,
            leaseOwner: options.leaseOwner,
            batchSize: options.batchSize,
            metrics: options.metrics,
          }),
      )
    : [];

  const storedCheckpoints = () =>
    Promise.all(
      projections.map(async (p) => {
        const generation = await store.currentGeneration(p.name);
        return { model: p.name, generation, checkpoint: await store.checkpoint({ model: p.name, generation }) };
      }),
    );

  // Where this process last saw each foreign read model's checkpoint, and since when it has not moved.
  const lastSeen = new Map<string, { checkpoint: string | undefined; sinceMs: number }>();
  const foreignLag = async (model: string, generation: number, checkpoint: string | undefined): Promise<ReadModelLag> => {
    const measure = await measureLag(eventStore, filter, checkpointPosition(checkpoint));
    const base = { model, generation, ...(checkpoint !== undefined ? { checkpoint } : {}), ...measure };
    const nowMs = Date.now();
    const seen = lastSeen.get(model);
    if (!seen || seen.checkpoint !== checkpoint) lastSeen.set(model, { checkpoint, sinceMs: nowMs });
    if (measure.caughtUp) return { ...base, state: 'running' };
    const leaseHolder = (await store.leaseHolder(model)) ?? null;
    const stillForMs = nowMs - (lastSeen.get(model)?.sinceMs ?? nowMs);
    if (leaseHolder !== null && stillForMs < STALLED_AFTER_MS) return { ...base, state: 'running', leaseHolder };
    // Behind since the store recorded the oldest event it has still to apply.
    const [oldest] = await eventStore.readAll({ after: checkpointPosition(checkpoint), maxCount: 1, filter });
    const behindSinceMs = oldest ? Date.parse(oldest.recordedAt) : nowMs;
    return { ...base, state: 'stalled', leaseHolder, stalledForSeconds: Math.max(0, Math.round((nowMs - behindSinceMs) / 1000)) };
  };

  return {
    store,
    runners,
    projecting,
    async start() {
      await Promise.all(runners.map((r) => r.start()));
    },
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
    async waitFor(position, timeoutMs) {
      if (projecting) return (await Promise.all(runners.map((r) => r.waitFor(position, timeoutMs)))).every(Boolean);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const reached = await Promise.all((await storedCheckpoints()).map((c) => hasApplied(eventStore, filter, checkpointPosition(c.checkpoint), position)));
        if (reached.every(Boolean)) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_POLL_MS));
      }
    },
    async lag() {
      if (projecting) return Promise.all(runners.map((r) => r.lag()));
      return Promise.all((await storedCheckpoints()).map(({ model, generation, checkpoint }) => foreignLag(model, generation, checkpoint)));
    },
  };
}
