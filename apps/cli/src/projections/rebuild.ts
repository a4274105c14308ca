import { loadConfig, type AppConfig } from '@csp/config';
import { JsonLogger } from '@csp/application';
import { NotAnEventStoreError } from '@csp/event-store';
import type { Projection, ReadModelStore, RebuildResult } from '@csp/projections';
import { openConfiguredEventStore, openConfiguredReadModelStore } from '@csp/runtime';
import { usageExit } from '../args';
import { REBUILD_USAGE, rebuildTarget, runRebuild } from './rebuild-command';
import type { ProgressOutput } from '../progress';

/**
 * npm run projections:rebuild -- <read model>|all   (--help for more)
 *
 * Builds a new generation of read models beside the live ones, switches queries to it once it
 * has caught up, and drops the old one: no downtime. Reads the embedded event store in DATA_DIR
 * (or KurrentDB or PostgreSQL with EVENTSTORE_URL) and writes the Redis read models of REDIS_URL. Without
 * REDIS_URL the read models live inside the API process and are rebuilt at each start, so this
 * rebuilds into a scratch memory store: a dry run that checks every event projects, and measures.
 */
export interface ConfiguredRebuild {
  readonly results: RebuildResult[];
  /** The store rebuilt into, for a caller that reads the result before closing. */
  readonly store: ReadModelStore;
  close(): Promise<void>;
}

/** The rebuild over the stores the configuration names, opened by the composition root (upcasting included). */
export async function rebuildConfigured(config: AppConfig, projections: readonly Projection[], output: ProgressOutput): Promise<ConfiguredRebuild> {
  const logger = new JsonLogger('warn', { service: 'projections:rebuild' });
  // Read-only: rebuilding from a file that is not a store (or is not there) would switch the live
  // read models to empty ones; it is refused, nothing created or migrated.
  const eventStore = await openConfiguredEventStore(config, logger, { readOnly: true });
  const store = openConfiguredReadModelStore(config, logger);
  const close = async () => {
    await store.close();
    await eventStore.close();
  };
  try {
    // The SQLite position is the event's sequence number: the head tells how many events there are.
    const totalEvents = config.eventStoreUrl ? undefined : Number((await eventStore.headPosition()).commit);
    const results = await runRebuild({ eventStore, store, projections, output, ...(totalEvents !== undefined && totalEvents > 0 ? { totalEvents } : {}) });
    return { results, store, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function main(): Promise<number> {
  const projections = rebuildTarget(process.argv.slice(2));
  const config = loadConfig();
  if (!config.redisUrl)
    process.stderr.write('REDIS_URL is not set: rebuilding into a scratch in-memory store (a dry run; the API rebuilds its own read models at start-up)\n');
  try {
    const rebuild = await rebuildConfigured(config, projections, process.stderr);
    await rebuild.close();
  } catch (error) {
    if (!(error instanceof NotAnEventStoreError)) throw error;
    process.stderr.write(`${error.message}: set DATA_DIR to the service's data directory\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const code = usageExit(error, REBUILD_USAGE);
      if (code === undefined) process.stderr.write(`projections:rebuild failed: ${(error as Error).message}\n`);
      process.exit(code ?? 1);
    },
  );
}
