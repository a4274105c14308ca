import type { EventStore } from '@csp/event-store';
import { PRODUCT_STREAMS, PROJECTIONS, rebuildReadModel, type Projection, type ReadModelStore, type RebuildResult } from '@csp/projections';
import { ProgressBar, type ProgressOutput } from './progress-bar';

export const READ_MODEL_NAMES = PROJECTIONS.map((p) => p.name);

/** The read models a command-line target names: one by name, or `all`; undefined for anything else. */
export function readModelsNamed(target: string | undefined): Projection[] | undefined {
  if (target === 'all') return [...PROJECTIONS];
  const projection = PROJECTIONS.find((p) => p.name === target);
  return projection ? [projection] : undefined;
}

export interface RebuildCommandOptions {
  readonly eventStore: EventStore;
  readonly store: ReadModelStore;
  readonly projections: readonly Projection[];
  readonly output: ProgressOutput;
  /** Events in the log, when the store can tell cheaply (the SQLite sequence): a bar with a percentage. */
  readonly totalEvents?: number;
  readonly dropAfterMs?: number;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Rebuilds each read model in turn, with a progress bar, and closes with its events/s. */
export async function runRebuild(options: RebuildCommandOptions): Promise<RebuildResult[]> {
  const results: RebuildResult[] = [];
  for (const projection of options.projections) {
    const bar = new ProgressBar(options.output, `rebuild ${projection.name}`, options.totalEvents);
    const result = await rebuildReadModel({
      eventStore: options.eventStore,
      store: options.store,
      projection,
      streamPrefixes: PRODUCT_STREAMS,
      ...(options.dropAfterMs !== undefined ? { dropAfterMs: options.dropAfterMs } : {}),
      onProgress: (p) => bar.update(p.events, p.eventsPerSecond),
    });
    bar.done(
      `rebuilt ${projection.name}: ${count(result.events)} events in ${result.seconds.toFixed(2)} s = ${count(result.eventsPerSecond)} events/s (generation ${result.previousGeneration} → ${result.generation})`,
    );
    results.push(result);
  }
  if (results.length > 1) {
    const events = results.reduce((sum, r) => sum + r.events, 0);
    const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
    options.output.write(`rebuilt ${results.length} read models: ${count(events)} events in ${seconds.toFixed(2)} s = ${count(events / Math.max(seconds, 1e-9))} events/s\n`);
  }
  return results;
}
