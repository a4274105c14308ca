import { START, type EventStore, type Position } from '@csp/event-store';
import type { Projection } from '../projection';
import type { ReadModelStore } from '../stores/port';
import { projectionFingerprint } from '../projection-fingerprint';
import { applyBatch } from './apply-batch';

export interface RebuildProgress {
  readonly model: string;
  /** Events read from the log so far (every event the read model follows, used or not). */
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly done: boolean;
}

export interface RebuildResult extends RebuildProgress {
  readonly generation: number;
  readonly previousGeneration: number;
}

export interface RebuildOptions {
  readonly eventStore: EventStore;
  readonly store: ReadModelStore;
  readonly projection: Projection;
  readonly streamPrefixes: readonly string[];
  /** Events per committed batch; default 1000. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Least time between two progress reports; default 250 ms. The final report always comes. */
  readonly progressEveryMs?: number;
  /**
   * How long the old generation outlives the switch, so that a query which read the old
   * generation number just before the switch can finish its reads; default 1 s.
   */
  readonly dropAfterMs?: number;
  /** Commits only while this owner holds the model's lease (a runner's rebuild): losing it fails the rebuild. */
  readonly leaseOwner?: string;
  /** Stops the rebuild before its next batch (it fails with the signal's reason; nothing is switched). */
  readonly signal?: AbortSignal;
}

/**
 * Builds a new generation of a read model from the first event, beside the live one that queries
 * keep reading; switches queries to it once it has caught up with the log; drops the old one. Live
 * runners notice the switch at their next commit (a commit to a generation that is no longer
 * current is refused) and continue on the new generation from its checkpoint, so events appended
 * during the rebuild are neither lost nor applied twice.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { eventStore, store, projection } = options;
  const model = projection.name;
  const previousGeneration = await store.currentGeneration(model);
  const generation = previousGeneration + 1;
  const ns = { model, generation };
  // Leftovers of a rebuild that died before its switch.
  await store.drop(ns);
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  let events = 0;
  let checkpoint: string | undefined;
  let after: Position = START;
  let lastReportMs = -Infinity;
  const progress = (done: boolean): RebuildProgress => ({ model, events, seconds: seconds(), eventsPerSecond: events / Math.max(seconds(), 1e-9), done });
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await eventStore.readAll({ after, maxCount: options.batchSize ?? 1000, filter: { streamPrefixes: options.streamPrefixes } });
    if (page.length === 0) break;
    checkpoint = await applyBatch(projection, store, ns, page, {
      expectedCheckpoint: checkpoint,
      ...(options.leaseOwner ? { leaseOwner: options.leaseOwner } : {}),
    });
    after = page[page.length - 1]!.position;
    events += page.length;
    if (seconds() * 1000 - lastReportMs >= (options.progressEveryMs ?? 250)) {
      lastReportMs = seconds() * 1000;
      options.onProgress?.(progress(false));
    }
  }
  options.signal?.throwIfAborted();
  // A rebuild under a lease switches only while it holds the lease and nobody switched meanwhile.
  // (Checked, then switched: a lease lost in between is not seen; the next holder then finds the
  // generation built by this version, or rebuilds it.)
  if (options.leaseOwner !== undefined) {
    if ((await store.leaseHolder(model)) !== options.leaseOwner) throw new Error(`Lost the lease of ${model} before switching to generation ${generation}`);
    if ((await store.currentGeneration(model)) !== previousGeneration) throw new Error(`${model} was switched by another rebuild meanwhile`);
  }
  // What built the new generation, for a store that records it (a runner of another release rebuilds what this one built).
  await store.recordBuiltBy?.(ns, projectionFingerprint(projection));
  await store.switchGeneration(model, generation);
  const result = { ...progress(true), generation, previousGeneration };
  options.onProgress?.(result);
  const grace = options.dropAfterMs ?? 1_000;
  if (grace > 0) await new Promise((resolve) => setTimeout(resolve, grace));
  await store.drop({ model, generation: previousGeneration });
  return result;
}
