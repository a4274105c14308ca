import { comparePositions, formatPosition, START, type EventStore, type Position } from '@csp/event-store';
import { PROJECTIONS } from './read-models';
import type { Projection } from './projection';
import { ReadModels } from './queries/read-models';
import { ProjectionRunner, type RunnerLogger, type RunnerStatus } from './runner/projection-runner';
import type { ReadModelStore } from './store/port';

/** The streams read models are built from. */
export const PRODUCT_STREAMS = ['order-', 'customers-', 'refundRequest-'] as const;

export interface LagReport extends RunnerStatus {
  readonly head: string;
  readonly caughtUp: boolean;
}

export interface ReadSide {
  readonly readModels: ReadModels;
  readonly store: ReadModelStore;
  readonly runners: readonly ProjectionRunner[];
  /** Whether this process applies events (false: it only queries what another process projects). */
  readonly projecting: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Read-your-writes: resolves true once every read model has applied `position`. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean>;
  lag(): Promise<LagReport[]>;
}

export function createReadSide(options: {
  readonly eventStore: EventStore;
  readonly store: ReadModelStore;
  /** Run the projections in this process (the embedded default) or only query. */
  readonly project: boolean;
  readonly logger?: RunnerLogger;
  readonly leaseOwner?: string;
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
}): ReadSide {
  const { eventStore, store } = options;
  const runners = options.project
    ? (options.projections ?? PROJECTIONS).map(
        (projection) =>
          new ProjectionRunner({ projection, eventStore, store, streamPrefixes: PRODUCT_STREAMS, logger: options.logger, leaseOwner: options.leaseOwner, batchSize: options.batchSize }),
      )
    : [];

  const checkpointsFromStore = async () =>
    Promise.all(
      (options.projections ?? PROJECTIONS).map(async (p) => {
        const generation = await store.currentGeneration(p.name);
        const checkpoint = await store.checkpoint({ model: p.name, generation });
        return { model: p.name, generation, checkpoint };
      }),
    );

  return {
    readModels: new ReadModels(store),
    store,
    runners,
    projecting: options.project,
    async start() {
      await Promise.all(runners.map((r) => r.start()));
    },
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
    async waitFor(position, timeoutMs) {
      if (options.project) {
        const reached = await Promise.all(runners.map((r) => r.waitFor(position, timeoutMs)));
        return reached.every(Boolean);
      }
      // Another process projects: poll the stored checkpoints.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await checkpointsFromStore();
        if (all.every((c) => c.checkpoint !== undefined && compareText(c.checkpoint, position) >= 0)) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async lag() {
      const head = await eventStore.headPosition();
      const statuses: RunnerStatus[] = options.project
        ? runners.map((r) => r.status())
        : (await checkpointsFromStore()).map((c) => ({ model: c.model, generation: c.generation, state: 'running' as const, ...(c.checkpoint ? { checkpoint: c.checkpoint } : {}) }));
      return statuses.map((s) => ({ ...s, head: formatPosition(head), caughtUp: s.checkpoint === undefined ? comparePositions(head, START) <= 0 : compareText(s.checkpoint, head) >= 0 }));
    },
  };
}

function compareText(checkpoint: string, position: Position): number {
  const [commit, prepare] = checkpoint.split('/');
  return comparePositions({ commit: BigInt(commit!), prepare: BigInt(prepare ?? commit!) }, position);
}
