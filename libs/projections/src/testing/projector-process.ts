/**
 * A projector in a process of its own, for the crash test: it builds the generated history in an
 * in-memory event store, then projects it into Redis, announcing each commit on stdout just
 * before it is sent, so that the test can SIGKILL it in the middle of a batch.
 *
 *   node -r @swc-node/register projector-process.ts <redis url> <key prefix> <events> <batch size>
 */
import { createReadSide } from '../read-side';
import type { ReadModelStore } from '../stores/port';
import { RedisReadModelStore } from '../stores/redis-store';
import { generatedHistory } from './generated-history';
import { InMemoryEventStore } from './in-memory-event-store';
import { appendAll } from './product-history';
import { PROJECTIONS } from './product-projections';

async function main(): Promise<void> {
  const [url, keyPrefix, events, batchSize] = process.argv.slice(2);
  if (!url || !keyPrefix || !events || !batchSize) throw new Error('usage: projector-process <redis url> <key prefix> <events> <batch size>');
  const eventStore = new InMemoryEventStore({ now: () => '2026-01-01T00:00:00.000Z' });
  await appendAll(eventStore, generatedHistory({ events: Number(events) }));
  const redis = new RedisReadModelStore({ url, keyPrefix });
  const announcing: ReadModelStore = Object.create(redis);
  let commits = 0;
  announcing.commit = (ns, request) => {
    process.stdout.write(`commit ${++commits} ${ns.model} ${request.checkpoint}\n`);
    return redis.commit(ns, request);
  };
  const side = createReadSide({ eventStore, store: announcing, projections: PROJECTIONS, batchSize: Number(batchSize) });
  await side.start();
  const head = await eventStore.headPosition();
  await side.waitFor(head, 600_000);
  process.stdout.write('caught-up\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`projector-process failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
