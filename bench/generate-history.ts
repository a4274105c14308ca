/**
 * Fills an embedded event store with a generated history, for benchmarks and manual tries:
 *   npm run bench:generate -- <DATA_DIR> <approximate events>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { generateHistory } from '../test/support/history';

async function main() {
  const dataDir = process.argv[2];
  const events = Number(process.argv[3] ?? 100_000);
  if (!dataDir || !Number.isInteger(events) || events <= 0) {
    process.stderr.write('Usage: npm run bench:generate -- <DATA_DIR> <approximate events>\n');
    process.exit(2);
  }
  mkdirSync(dataDir, { recursive: true });
  const store = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const started = Date.now();
  // About 7 events per order (purchase, reveals, a link, downloads, some cancellations); overshoot, then stop at the target.
  const orders = Math.ceil(events / 6);
  const customersPerPartner = Math.max(1, Math.ceil(orders / 10 / 20));
  const history = await generateHistory(store, {
    partners: 20,
    customersPerPartner,
    ordersPerCustomer: 10,
    maxEvents: events,
    onProgress: (n) => process.stderr.isTTY && process.stderr.write(`\r${n} events`),
  });
  await store.close();
  process.stderr.write(`\rgenerated ${history.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s into ${dataDir}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
