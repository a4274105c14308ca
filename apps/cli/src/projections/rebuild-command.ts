import type { EventStore } from '@csp/event-store';
import { PRODUCT_STREAMS, rebuildReadModel, type Projection, type ReadModelStore, type RebuildResult } from '@csp/projections';
import { PROJECTIONS } from '@csp/runtime/projections';
import { readCommandLine, UsageError } from '../args';
import { count, ProgressBar, type ProgressOutput } from '../progress';

const READ_MODEL_NAMES = PROJECTIONS.map((p) => p.name);

/** The read models a command-line target names: one by name, or `all`; undefined for anything else. */
export function readModelsNamed(target: string | undefined): Projection[] | undefined {
  if (target === 'all') return [...PROJECTIONS];
  const projection = PROJECTIONS.find((p) => p.name === target);
  return projection ? [projection] : undefined;
}

export const REBUILD_USAGE = `Usage: npm run projections:rebuild -- <${[...READ_MODEL_NAMES, 'all'].join('|')}>
       npm run projections:rebuild -- --help

Builds a new generation of the read model(s) from the event store (\${DATA_DIR:-./data}/events.sqlite,
or EVENTSTORE_URL) beside the live one and switches queries to it once caught up: in the Redis of
REDIS_URL, else in \${DATA_DIR:-./data}/read-models.sqlite. The API may keep running.`;

/** The read models a command line names (one positional: a read model or `all`); a UsageError for anything else. */
export function rebuildTarget(args: readonly string[]): Projection[] {
  const { positionals } = readCommandLine(args, {}, true);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Name a read model, or all' : 'Name one read model, or all');
  const projections = readModelsNamed(positionals[0]);
  if (!projections) throw new UsageError(`Unknown read model ${JSON.stringify(positionals[0])}`);
  return projections;
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
    options.output.write(
      `rebuilt ${results.length} read models: ${count(events)} events in ${seconds.toFixed(2)} s = ${count(events / Math.max(seconds, 1e-9))} events/s\n`,
    );
  }
  return results;
}
