/**
 * A generated history of about 1M events (test/support/history.ts, the real deciders) in an
 * embedded SQLite store, built once and cached under the system temp directory between runs.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { generateHistory } from '../../test/support/history';
import { log, now } from './common';

export interface CachedHistory {
  readonly dir: string;
  readonly file: string;
  readonly events: number;
  readonly partners: number;
  readonly customersPerPartner: number;
  readonly ordersPerCustomer: number;
  readonly start: string;
  readonly first: string;
  readonly last: string;
  /** A few customers with the hour their first order was bought (orders follow hour by hour). */
  readonly sampleCustomers: { index: number; customerId: string; tenantId: string; partnerTenantId: string; firstOrderAt: string }[];
  readonly generatedInSeconds: number;
}

const VERSION = 1;
const START = '2026-01-05T09:00:00.000Z';

/** Returns the cached history of `events` events, generating it first if needed (~1 min for 1M). */
export async function cachedHistory(events = 1_000_000): Promise<CachedHistory> {
  const dir = join(process.env.BENCH_HISTORY_DIR ?? tmpdir(), `csp-bench-history-v${VERSION}-${events}`);
  const metaFile = join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CachedHistory;
    if (existsSync(meta.file)) return meta;
  }
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`generating a history of ${events.toLocaleString('en-US')} events into ${dir} (cached for later runs)`);
  const started = now();
  const store = openSqliteEventStore({ file: join(partial, 'events.sqlite') });
  // The same shape as bench/generate-history.ts: 20 partners, 10 orders per customer, ~6 events per order.
  const partners = 20;
  const ordersPerCustomer = 10;
  const customersPerPartner = Math.max(1, Math.ceil(Math.ceil(events / 6) / ordersPerCustomer / partners));
  let lastReport = 0;
  const history = await generateHistory(store, {
    partners,
    customersPerPartner,
    ordersPerCustomer,
    maxEvents: events,
    start: START,
    onProgress: (n) => {
      if (now() - lastReport > 5000) {
        lastReport = now();
        log(`  ${n.toLocaleString('en-US')} events`);
      }
    },
  });
  await store.close();
  const generatedInSeconds = (now() - started) / 1000;
  // Orders are bought one hour apart, customer after customer: customer k's first order is at START + (10k + 1) h.
  const picks = [0, Math.floor(history.customers.length / 2), history.customers.length - 2].filter((i) => i >= 0 && i < history.customers.length);
  const sampleCustomers = picks.map((index) => ({
    index,
    ...history.customers[index]!,
    firstOrderAt: new Date(Date.parse(START) + (index * ordersPerCustomer + 1) * 3_600_000).toISOString(),
  }));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  const meta: CachedHistory = {
    dir,
    file: join(dir, 'events.sqlite'),
    events: history.events,
    partners,
    customersPerPartner,
    ordersPerCustomer,
    start: START,
    first: history.first,
    last: history.last,
    sampleCustomers,
    generatedInSeconds,
  };
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  log(`generated ${history.events.toLocaleString('en-US')} events in ${generatedInSeconds.toFixed(1)} s`);
  return meta;
}

/** Runs `work` on a DATA_DIR of its own holding a copy of the cached history of `events` events, removed afterwards. */
export async function onCopyOf<T>(events: number, work: (history: CachedHistory, dataDir: string) => Promise<T>): Promise<T> {
  const history = await cachedHistory(events);
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-bench-data-'));
  try {
    cpSync(history.dir, dataDir, { recursive: true });
    return await work(history, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
