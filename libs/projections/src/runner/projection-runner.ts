import { comparePositions, parsePosition, START, type EventStore, type Position, type Subscription } from '@csp/event-store';
import type { Projection } from '../projection';
import { CheckpointConflictError, type Namespace, type ReadModelStore } from '../store/port';
import { applyBatch, PoisonEventError } from './apply-batch';

export interface RunnerLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type RunnerState = 'idle' | 'standby' | 'running' | 'retrying' | 'failed' | 'stopped';

export interface RunnerStatus {
  readonly model: string;
  readonly generation: number;
  readonly state: RunnerState;
  readonly checkpoint?: string;
  readonly error?: string;
}

export interface ProjectionRunnerOptions {
  readonly projection: Projection;
  readonly eventStore: EventStore;
  readonly store: ReadModelStore;
  /** The streams whose events read models are built from. */
  readonly streamPrefixes: readonly string[];
  readonly batchSize?: number;
  readonly logger?: RunnerLogger;
  /** With several projector processes: only the lease holder applies events. */
  readonly leaseOwner?: string;
  readonly leaseTtlMs?: number;
  readonly retryDelayMs?: number;
}

const silent: RunnerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Keeps one read model up to date: subscribes from its checkpoint, applies batches atomically with
 * the checkpoint, and recovers by itself — from a store outage (retry from the stored checkpoint),
 * a lost lease (standby) or a rebuild's generation switch (move to the new generation). A poison
 * event stops it with the event named; nothing is skipped silently.
 */
export class ProjectionRunner {
  private ns: Namespace = { model: '', generation: 1 };
  private checkpoint: string | undefined;
  private position: Position = START;
  private state: RunnerState = 'idle';
  private error?: string;
  private subscription?: Subscription;
  private stopping = false;
  private loop?: Promise<void>;
  private wake: () => void = () => undefined;
  private readonly waiters = new Set<{ target: Position; resolve: (reached: boolean) => void }>();

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.ns = { model: options.projection.name, generation: 1 };
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Starts in the background; resolves once the first subscription (or standby) is under way. */
  async start(): Promise<void> {
    this.stopping = false;
    let started!: () => void;
    const first = new Promise<void>((resolve) => (started = resolve));
    this.loop = this.supervise(started);
    await first;
  }

  private get log(): RunnerLogger {
    return this.options.logger ?? silent;
  }

  private async supervise(started: () => void): Promise<void> {
    const { store, leaseOwner } = this.options;
    const ttl = this.options.leaseTtlMs ?? 15_000;
    const retryDelay = this.options.retryDelayMs ?? 1_000;
    while (!this.stopping) {
      try {
        if (leaseOwner && !(await store.acquireLease(this.name, leaseOwner, ttl))) {
          this.state = 'standby';
          started();
          await this.sleep(ttl / 3);
          continue;
        }
        const generation = await store.currentGeneration(this.name);
        this.ns = { model: this.name, generation };
        this.checkpoint = await store.checkpoint(this.ns);
        this.position = this.checkpoint !== undefined ? (parsePosition(this.checkpoint) ?? START) : START;
        this.state = 'running';
        this.error = undefined;
        this.notifyWaiters();
        this.subscription = this.options.eventStore.subscribe((events) => this.handle(events), {
          after: this.position,
          filter: { streamPrefixes: this.options.streamPrefixes },
          batchSize: this.options.batchSize ?? 500,
        });
        started();
        const renewal = leaseOwner ? this.renewLease(leaseOwner, ttl) : undefined;
        try {
          await this.subscription.closed;
        } finally {
          renewal?.stop();
        }
      } catch (error) {
        if (this.stopping) break;
        if (error instanceof PoisonEventError) {
          this.state = 'failed';
          this.error = error.message;
          this.log.error('Read model stopped on a poison event', { model: this.name, error: error.message, eventId: error.event.eventId });
          started();
          this.notifyWaiters();
          return;
        }
        if (error instanceof CheckpointConflictError) {
          this.log.warn('Read model moved under this runner; resuming from the stored checkpoint', { model: this.name, reason: error.message });
          continue;
        }
        this.state = 'retrying';
        this.error = (error as Error).message;
        this.log.warn('Read model runner failed; retrying from the stored checkpoint', { model: this.name, error: this.error });
        started();
        await this.sleep(retryDelay);
      }
    }
    this.state = 'stopped';
    started();
  }

  private renewLease(owner: string, ttl: number): { stop(): void } {
    const timer = setInterval(() => {
      this.options.store.acquireLease(this.name, owner, ttl).then(
        (held) => {
          if (!held) {
            this.log.warn('Lost the read model lease; standing by', { model: this.name });
            void this.subscription?.stop();
          }
        },
        () => undefined,
      );
    }, ttl / 3);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  private async handle(events: readonly import('@csp/event-store').RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.checkpoint = await applyBatch(this.options.projection, this.options.store, this.ns, events, {
      expectedCheckpoint: this.checkpoint,
      leaseOwner: this.options.leaseOwner,
      requireCurrentGeneration: true,
    });
    this.position = events[events.length - 1]!.position;
    this.notifyWaiters();
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (comparePositions(this.position, waiter.target) >= 0) {
        this.waiters.delete(waiter);
        waiter.resolve(true);
      } else if (this.state === 'failed') {
        this.waiters.delete(waiter);
        waiter.resolve(false);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Resolves true once the read model has applied everything up to `target`, false on timeout. */
  waitFor(target: Position, timeoutMs: number): Promise<boolean> {
    if (comparePositions(this.position, target) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        target,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  appliedPosition(): Position {
    return this.position;
  }

  status(): RunnerStatus {
    return { model: this.name, generation: this.ns.generation, state: this.state, ...(this.checkpoint !== undefined ? { checkpoint: this.checkpoint } : {}), ...(this.error ? { error: this.error } : {}) };
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.subscription?.stop();
    await this.loop;
    if (this.options.leaseOwner) await this.options.store.releaseLease(this.name, this.options.leaseOwner).catch(() => undefined);
    for (const waiter of [...this.waiters]) waiter.resolve(false);
    this.waiters.clear();
  }
}
