import { START, type EventStore, type Position } from '@csp/event-store';
import type { Projection } from '../projection';
import type { ReadModelStore } from '../store/port';
import { applyBatch } from './apply-batch';

export interface RebuildProgress {
  readonly model: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly done: boolean;
}

export interface RebuildResult extends RebuildProgress {
  readonly generation: number;
  readonly previousGeneration: number;
}

/**
 * Builds a new generation of a read model from the first event, beside the live one that queries
 * keep reading; switches queries to it once it has caught up with the log; drops the old one. Live
 * runners notice the switch at their next commit and continue on the new generation.
 */
export async function rebuildReadModel(options: {
  readonly eventStore: EventStore;
  readonly store: ReadModelStore;
  readonly projection: Projection;
  readonly streamPrefixes: readonly string[];
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly progressEveryMs?: number;
}): Promise<RebuildResult> {
  const { eventStore, store, projection } = options;
  const model = projection.name;
  const previousGeneration = await store.currentGeneration(model);
  const generation = previousGeneration + 1;
  const ns = { model, generation };
  await store.drop(ns);
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  let events = 0;
  let checkpoint: string | undefined;
  let after: Position = START;
  let lastReport = 0;
  const report = (done: boolean) => options.onProgress?.({ model, events, seconds: seconds(), eventsPerSecond: events / Math.max(seconds(), 1e-9), done });
  for (;;) {
    const page = await eventStore.readAll({ after, maxCount: options.batchSize ?? 1000, filter: { streamPrefixes: options.streamPrefixes } });
    if (page.length === 0) break;
    checkpoint = await applyBatch(projection, store, ns, page, { expectedCheckpoint: checkpoint });
    after = page[page.length - 1]!.position;
    events += page.length;
    if (seconds() * 1000 - lastReport >= (options.progressEveryMs ?? 250)) {
      lastReport = seconds() * 1000;
      report(false);
    }
  }
  await store.switchGeneration(model, generation);
  await store.drop({ model, generation: previousGeneration });
  report(true);
  return { model, events, seconds: seconds(), eventsPerSecond: events / Math.max(seconds(), 1e-9), done: true, generation, previousGeneration };
}
