import { SpanKind } from '@opentelemetry/api';
import type { Logger } from '@csp/config';
import { inSpan, linksFrom, type Metrics } from '@csp/observability';
import { formatPosition, START, type EventFilter, type EventStore, type Position, type RecordedEvent, type Subscription } from '@csp/event-store';
import type { Projection } from '../projection';
import { CheckpointConflictError, type Namespace, type ReadModelStore } from '../stores/port';
import { applyBatch, PoisonEventError } from './apply-batch';
import { projectionFingerprint } from '../projection-fingerprint';
import { rebuildReadModel } from './rebuild';
import { checkpointPosition, hasApplied, measureLag, type LagMeasure } from './lag';

/**
 * idle: not started; standby: another projector holds the lease; running: following the log;
 * retrying: the store or event store failed, retrying from the stored checkpoint; failed: stopped
 * on a poison event until someone fixes it; stopped: stop() was called.
 */
export type RunnerState = 'idle' | 'standby' | 'running' | 'retrying' | 'failed' | 'stopped';

export interface RunnerStatus {
  readonly model: string;
  readonly generation: number;
  readonly state: RunnerState;
  /** Position of the last event applied (text form), absent before the first. */
  readonly checkpoint?: string;
  readonly error?: string;
}

export type RunnerLag = RunnerStatus & LagMeasure;

export interface ProjectionRunnerOptions {
  readonly projection: Projection;
  readonly eventStore: EventStore;
  readonly store: ReadModelStore;
  /** The streams whose events read models are built from. */
  readonly streamPrefixes: readonly string[];
  /** Events per batch, each batch committed with its checkpoint; default 500. */
  readonly batchSize?: number;
  readonly logger?: Logger;
  /** With several projector processes: only the lease holder applies events. */
  readonly leaseOwner?: string;
  readonly leaseTtlMs?: number;
  /** First delay before retrying after a failure; doubles on each failure in a row, up to 30 s. */
  readonly retryDelayMs?: number;
  /** Where each batch's duration is reported. */
  readonly metrics?: Metrics;
}

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const MAX_RETRY_DELAY_MS = 30_000;
/** How often a runner that does not apply events itself (standby) looks at the stored checkpoint. */
const STANDBY_POLL_MS = 50;

/**
 * Keeps one read model up to date: subscribes from its checkpoint, applies batches atomically with
 * the checkpoint, and recovers by itself — from a store outage (retry from the stored checkpoint),
 * a lost lease (standby) or a rebuild's generation switch (move to the new generation). A poison
 * event stops it with the event named, in its status and its log; nothing is skipped silently.
 */
export class ProjectionRunner {
  private ns: Namespace;
  private checkpoint: string | undefined;
  private applied: Position = START;
  private state: RunnerState = 'idle';
  private error?: string;
  private subscription?: Subscription;
  private stopping = false;
  private loop?: Promise<void>;
  private wakeSleeper: () => void = () => undefined;
  private changed = signal();
  /** Failures in a row, for the retry back-off; a committed batch resets it. */
  private failures = 0;
  /** The rebuild after a projection change, while it runs. */
  private upgrade: { readonly done: Promise<void>; readonly abort: AbortController } | undefined;
  private readonly filter: EventFilter;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.ns = { model: options.projection.name, generation: 1 };
    this.filter = { streamPrefixes: options.streamPrefixes };
  }

  get name(): string {
    return this.options.projection.name;
  }

  private get log(): Logger {
    return this.options.logger ?? silent;
  }

  /** Starts in the background; resolves once the first subscription (or standby) is under way. */
  async start(): Promise<void> {
    if (this.loop && this.state !== 'stopped' && this.state !== 'failed') return;
    this.stopping = false;
    let started!: () => void;
    const first = new Promise<void>((resolve) => (started = resolve));
    this.loop = this.supervise(started);
    await first;
  }

  private async supervise(started: () => void): Promise<void> {
    const { store, leaseOwner } = this.options;
    const ttl = this.options.leaseTtlMs ?? 15_000;
    while (!this.stopping) {
      try {
        if (leaseOwner && !(await store.acquireLease(this.name, leaseOwner, ttl))) {
          this.setState('standby');
          started();
          await this.sleep(ttl / 3);
          continue;
        }
        const generation = await store.currentGeneration(this.name);
        this.ns = { model: this.name, generation };
        this.checkpoint = await store.checkpoint(this.ns);
        this.applied = checkpointPosition(this.checkpoint);
        await this.rebuildIfBuiltByAnotherVersion();
        this.error = undefined;
        this.setState('running');
        const subscription = this.options.eventStore.subscribe((events) => this.handle(events), {
          after: this.applied,
          filter: this.filter,
          batchSize: this.options.batchSize ?? 500,
        });
        this.subscription = subscription;
        // stop() may have come while this loop was between awaits, before there was anything to stop.
        if (this.stopping) await subscription.stop();
        started();
        const renewal = leaseOwner ? this.renewLease(leaseOwner, ttl, subscription) : undefined;
        try {
          await subscription.closed;
        } finally {
          renewal?.stop();
          this.subscription = undefined;
        }
      } catch (error) {
        if (this.stopping) break;
        // The read model may have moved under the batch — a rebuild switched generations, or the
        // store lost its data (Redis restarted empty): missing documents then say nothing about
        // the event, so resume from what the store holds instead of stopping.
        if (error instanceof PoisonEventError && (await this.storeMovedUnder(error.checkpoint))) {
          this.log.info('Read model changed under this runner; resuming from the stored checkpoint', { model: this.name, generation: this.ns.generation });
          continue;
        }
        // During a rebuild after a projection change, the new code meets documents the old version
        // built: an event it cannot apply there waits for the new generation instead of stopping it.
        if (error instanceof PoisonEventError && this.upgrade) {
          this.log.warn('Event not applicable to the generation another version built; waiting for the rebuilt one', {
            model: this.name,
            eventId: error.event.eventId,
            eventType: error.event.type,
            error: error.message,
          });
          await this.upgrade.done;
          continue;
        }
        if (error instanceof PoisonEventError) {
          this.error = error.message;
          this.log.error('Read model stopped on a poison event: fix the projection or the event, then restart', {
            model: this.name,
            eventId: error.event.eventId,
            eventType: error.event.type,
            streamId: error.event.streamId,
            position: formatPosition(error.event.position),
            error: error.message,
          });
          this.setState('failed');
          started();
          return;
        }
        if (error instanceof CheckpointConflictError) {
          this.log.info('Read model moved under this runner (rebuild or another projector); resuming from the stored checkpoint', {
            model: this.name,
            reason: error.message,
          });
          continue;
        }
        this.failures++;
        this.error = (error as Error).message;
        const delay = Math.min((this.options.retryDelayMs ?? 1_000) * 2 ** (this.failures - 1), MAX_RETRY_DELAY_MS);
        this.log.warn('Read model runner failed; retrying from the stored checkpoint', {
          model: this.name,
          error: this.error,
          retryInMs: delay,
          failures: this.failures,
        });
        this.setState('retrying');
        started();
        await this.sleep(delay);
      }
    }
    this.setState('stopped');
    started();
  }

  private renewLease(owner: string, ttl: number, subscription: Subscription): { stop(): void } {
    const timer = setInterval(() => {
      this.options.store.acquireLease(this.name, owner, ttl).then(
        (held) => {
          if (held) return;
          this.log.warn('Lost the read model lease; standing by', { model: this.name });
          void subscription.stop();
        },
        // A failed renewal is retried at the next tick; commits check the lease anyway.
        () => undefined,
      );
    }, ttl / 3);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /**
   * One batch, in a span of its own linked to the spans of the commands that appended its events
   * (a batch serves many requests: it is their follower, not their child).
   */
  private handle(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const attributes = { 'csp.read_model': this.name, 'csp.event_count': events.length };
    return inSpan(`projection ${this.name}`, { kind: SpanKind.CONSUMER, attributes, links: linksFrom(events.map((e) => e.metadata)) }, () =>
      this.apply(events),
    );
  }

  private async apply(events: readonly RecordedEvent[]): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      this.checkpoint = await applyBatch(this.options.projection, this.options.store, this.ns, events, {
        expectedCheckpoint: this.checkpoint,
        leaseOwner: this.options.leaseOwner,
        requireCurrentGeneration: true,
      });
      this.options.metrics?.projectionBatchDuration.observe({ model: this.name }, Number(process.hrtime.bigint() - started) / 1e9);
      // Between batches, let the process answer: catching up over a long history (an embedded store
      // delivers and commits synchronously) must not keep requests and health probes waiting.
      await new Promise((resolve) => setImmediate(resolve));
    } catch (error) {
      // The events before a poison event were committed: the status shows where the read model stands.
      if (error instanceof PoisonEventError) {
        this.checkpoint = error.checkpoint;
        this.applied = checkpointPosition(error.checkpoint);
      }
      throw error;
    }
    this.applied = events[events.length - 1]!.position;
    this.failures = 0;
    this.notify();
  }

  private setState(state: RunnerState): void {
    this.state = state;
    this.notify();
  }

  private notify(): void {
    const previous = this.changed;
    this.changed = signal();
    previous.fire();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Position of the last event applied by this runner (START before the first). */
  position(): Position {
    return this.applied;
  }

  /**
   * Read-your-writes: resolves true once the read model has applied everything up to `target`,
   * false on timeout, on a poison event or on stop.
   */
  async waitFor(target: Position, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.changed;
      if (this.state === 'standby') this.applied = checkpointPosition(await this.storedCheckpoint());
      if (await hasApplied(this.options.eventStore, this.filter, this.applied, target)) return true;
      if (this.state === 'failed' || this.state === 'stopped') return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await next.wait(this.state === 'standby' ? Math.min(left, STANDBY_POLL_MS) : left);
    }
  }

  status(): RunnerStatus {
    return {
      model: this.name,
      generation: this.ns.generation,
      state: this.state,
      ...(this.checkpoint !== undefined ? { checkpoint: this.checkpoint } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** The status with how far the read model is behind the log. */
  async lag(): Promise<RunnerLag> {
    const own = this.status();
    // On standby the lease holder's progress is the read model's, not this runner's.
    const checkpoint = own.state === 'standby' ? await this.storedCheckpoint() : own.checkpoint;
    const { checkpoint: _stale, ...status } = own;
    return {
      ...status,
      ...(checkpoint !== undefined ? { checkpoint } : {}),
      ...(await measureLag(this.options.eventStore, this.filter, checkpointPosition(checkpoint))),
    };
  }

  /**
   * A generation built by another version of this projection (or before versions were recorded) is
   * rebuilt from the first event beside it, in the background, by the runner that holds the lease
   * (supervise calls this only once it has it); this runner keeps the live one up to
   * date meanwhile and moves to the new one at the switch (its next commit is refused). One built
   * by nothing yet is this version's.
   */
  private async rebuildIfBuiltByAnotherVersion(): Promise<void> {
    const { store } = this.options;
    // Only a store shared across releases (Redis) records what built each generation.
    if (!store.builtBy || !store.recordBuiltBy || this.upgrade) return;
    const fingerprint = projectionFingerprint(this.options.projection);
    const built = await store.builtBy(this.ns);
    if (built === fingerprint) return;
    if (this.checkpoint === undefined) {
      await store.recordBuiltBy(this.ns, fingerprint);
      return;
    }
    this.log.warn(
      'Read model built by another version of its projection: rebuilding it beside the live one, which queries read until the new one has caught up',
      {
        model: this.name,
        generation: this.ns.generation,
        builtBy: built ?? 'not recorded',
      },
    );
    const abort = new AbortController();
    const done = rebuildReadModel({
      eventStore: this.options.eventStore,
      store,
      projection: this.options.projection,
      streamPrefixes: this.options.streamPrefixes,
      signal: abort.signal,
      ...(this.options.leaseOwner ? { leaseOwner: this.options.leaseOwner } : {}),
    }).then(
      (result) => {
        this.upgrade = undefined;
        this.log.info('Read model rebuilt after its projection changed; queries read the new generation', {
          model: this.name,
          generation: result.generation,
          events: result.events,
          seconds: Math.round(result.seconds),
        });
      },
      (error: unknown) => {
        this.upgrade = undefined;
        if (!abort.signal.aborted)
          this.log.warn('Rebuilding the read model after its projection changed failed; the runner tries again when it restarts', {
            model: this.name,
            error: (error as Error).message,
          });
      },
    );
    this.upgrade = { done, abort };
  }

  /** Whether the store no longer holds the generation and checkpoint the failed batch started from. */
  private async storeMovedUnder(checkpoint: string | undefined): Promise<boolean> {
    try {
      const generation = await this.options.store.currentGeneration(this.name);
      if (generation !== this.ns.generation) return true;
      return (await this.options.store.checkpoint(this.ns)) !== checkpoint;
    } catch {
      return false;
    }
  }

  private async storedCheckpoint(): Promise<string | undefined> {
    const { store } = this.options;
    return store.checkpoint({ model: this.name, generation: await store.currentGeneration(this.name) });
  }

  /** Finishes the batch in hand, then stops; the checkpoint is that batch's last event. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleeper();
    await this.subscription?.stop();
    this.upgrade?.abort.abort();
    await this.upgrade?.done;
    await this.loop;
    if (this.options.leaseOwner) await this.options.store.releaseLease(this.name, this.options.leaseOwner).catch(() => undefined);
  }
}

/** A one-shot notification that waiters can await with a time limit. */
function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return {
    fire,
    wait(ms: number): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([fired, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
    },
  };
}
