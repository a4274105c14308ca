import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@csp/config';
import { openKurrentDbEventStore, openSqliteEventStore, type EventStore } from '@csp/event-store';
import { MemoryReadModelStore, RedisReadModelStore, type ReadModelStore } from '@csp/projections';
import { usageExit } from '../args';
import { REBUILD_USAGE, rebuildTarget, runRebuild } from './rebuild-command';

/**
 * npm run projections:rebuild -- <read model>|all   (--help for more)
 *
 * Builds a new generation of read models beside the live ones, switches queries to it once it
 * has caught up, and drops the old one: no downtime. Reads the embedded event store in DATA_DIR
 * (or KurrentDB with EVENTSTORE_URL) and writes the Redis read models of REDIS_URL. Without
 * REDIS_URL the read models live inside the API process and are rebuilt at each start, so this
 * rebuilds into a scratch memory store: a dry run that checks every event projects, and measures.
 */
async function main(): Promise<number> {
  const projections = rebuildTarget(process.argv.slice(2));
  const config = loadConfig();
  let eventStore: EventStore;
  let totalEvents: number | undefined;
  if (config.eventStoreUrl) {
    eventStore = await openKurrentDbEventStore({ connectionString: config.eventStoreUrl });
  } else {
    const file = join(config.dataDir, 'events.sqlite');
    // Rebuilding from a store that is not there would switch the live read models to empty ones.
    if (!existsSync(file)) {
      process.stderr.write(`No event store at ${file}: set DATA_DIR to the service's data directory\n`);
      return 1;
    }
    eventStore = openSqliteEventStore({ file });
    // The SQLite position is the event's sequence number: the head tells how many events there are.
    totalEvents = Number((await eventStore.headPosition()).commit);
  }
  const store: ReadModelStore = config.redisUrl ? new RedisReadModelStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix }) : new MemoryReadModelStore();
  if (!config.redisUrl) process.stderr.write('REDIS_URL is not set: rebuilding into a scratch in-memory store (a dry run; the API rebuilds its own read models at start-up)\n');
  try {
    await runRebuild({ eventStore, store, projections, output: process.stderr, ...(totalEvents !== undefined && totalEvents > 0 ? { totalEvents } : {}) });
    return 0;
  } finally {
    await store.close();
    await eventStore.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = usageExit(error, REBUILD_USAGE);
    if (code === undefined) process.stderr.write(`projections:rebuild failed: ${(error as Error).message}\n`);
    process.exit(code ?? 1);
  },
);
