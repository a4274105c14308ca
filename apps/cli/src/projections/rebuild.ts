import { loadConfig } from '@csp/config';
import { JsonLogger, openConfiguredEventStore } from '@csp/application';
import { MemoryReadModelStore, PRODUCT_STREAMS, PROJECTIONS, RedisReadModelStore, rebuildReadModel, type ReadModelStore } from '@csp/projections';
import { progressReporter } from '../progress';

/**
 * npm run projections:rebuild -- <read model>|all
 *
 * Builds a new generation of read models beside the live ones, switches queries to it once it
 * has caught up, and drops the old one — no downtime. With REDIS_URL it rebuilds the shared Redis
 * read models; without, the in-memory read models live inside the API process (rebuilt at each
 * start), so this rebuilds into a scratch memory store: a dry run that checks every event projects
 * and measures the speed.
 */
async function main(): Promise<void> {
  const target = process.argv[2];
  const names = PROJECTIONS.map((p) => p.name);
  if (!target || (target !== 'all' && !names.includes(target))) {
    process.stderr.write(`Usage: npm run projections:rebuild -- <${[...names, 'all'].join('|')}>\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const logger = new JsonLogger('warn', { service: 'cli' });
  const eventStore = await openConfiguredEventStore(config, logger);
  const store: ReadModelStore = config.redisUrl ? new RedisReadModelStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix }) : new MemoryReadModelStore();
  if (!config.redisUrl) process.stderr.write('REDIS_URL is not set: rebuilding into a scratch in-memory store (dry run; the API rebuilds its own at start-up)\n');
  const head = await eventStore.headPosition();
  const total = head.commit > 0n && !config.eventStoreUrl ? Number(head.commit) : undefined;
  try {
    for (const projection of PROJECTIONS.filter((p) => target === 'all' || p.name === target)) {
      const bar = progressReporter(`rebuild ${projection.name}`, total);
      const result = await rebuildReadModel({
        eventStore,
        store,
        projection,
        streamPrefixes: PRODUCT_STREAMS,
        onProgress: (p) => bar.update(p.events, p.eventsPerSecond),
      });
      bar.done(
        `rebuilt ${projection.name}: ${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(2)} s = ${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s (generation ${result.previousGeneration} → ${result.generation})`,
      );
    }
  } finally {
    await store.close();
    await eventStore.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`projections:rebuild failed: ${(error as Error).message}\n`);
  process.exit(1);
});
