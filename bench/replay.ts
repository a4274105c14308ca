/**
 * npm run bench -- replay
 *
 * The auditors' replay (`npm run audit -- replay`, the product's exportKeyAccessReport, JSON lines
 * with digests) of one partner's, one customer's and one user's month, on a copy of a generated
 * history of BENCH_REPLAY_SIZES events (default 1,000,000 and 5,000,000; cached between runs, see
 * lib/history-cache.ts), through the store's key-access indexes. Baselines in the same run, on the
 * same file: the same replay with the indexes hidden (how it read before: every key-access event of
 * the log, filtered in JavaScript), whose report must be byte-identical; and the raw read of the
 * whole log (readAll, no filter, no processing). Also: the one-time build of the indexes when a
 * store without them is first opened, and the replay of one order (its own stream).
 */
import { exportKeyAccessReport } from '@csp/audit/history';
import { KEY_ACCESS_INDEXES, type AuditQuery } from '@csp/audit';
import { START, type EventStore, type Position } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { withoutIndexedReads } from '../test/support/without-indexes';
import { log, now, ratio, report, x, type BenchResult } from './lib/common';
import { onCopyOf, type CachedHistory } from './lib/history-cache';

const SIZES = (process.env.BENCH_REPLAY_SIZES ?? '1000000,5000000').split(',').map(Number);
const RUNS = 3;
const DAY = 86_400_000;

interface Replayed {
  readonly seconds: number;
  readonly entries: number;
  readonly digest: string;
  readonly bytes: number;
  readonly text: string;
}

async function replay(store: EventStore, query: AuditQuery): Promise<Replayed> {
  let text = '';
  const t0 = now();
  const result = await exportKeyAccessReport(store, query, 'jsonl', (chunk) => {
    text += chunk;
  });
  return { seconds: (now() - t0) / 1000, entries: result.entries, digest: result.finalDigest, bytes: text.length, text };
}

async function readEverything(store: EventStore): Promise<number> {
  const t0 = now();
  let after: Position = START;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) break;
    after = page[page.length - 1]!.position;
  }
  return (now() - t0) / 1000;
}

const best = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

async function atSize(size: number, rows: unknown[][], cells: unknown[]): Promise<void> {
  await onCopyOf(size, async (history: CachedHistory, dataDir: string) => {
    const file = `${dataDir}/events.sqlite`;
    const t0 = now();
    const store = openSqliteEventStore({ file, indexes: Object.values(KEY_ACCESS_INDEXES) });
    const buildSeconds = (now() - t0) / 1000;
    try {
      const events = history.events.toLocaleString('en-US');
      log(`${events} events: the key-access indexes built in ${buildSeconds.toFixed(1)} s at the first open`);
      const customer = history.sampleCustomers[Math.min(1, history.sampleCustomers.length - 1)]!;
      const month = {
        from: new Date(Date.parse(customer.firstOrderAt) - DAY).toISOString(),
        to: new Date(Date.parse(customer.firstOrderAt) + 30 * DAY).toISOString(),
      };
      const user = await firstRevealer(store, customer.partnerTenantId);
      const queries: [string, AuditQuery][] = [
        [`one partner's month`, { partnerTenantId: customer.partnerTenantId, ...month }],
        [`one customer's month`, { customerId: customer.customerId, ...month }],
        [`one user's month`, { user, ...month }],
      ];
      await readEverything(store);
      const raw = Math.min(await readEverything(store), await readEverything(store));
      log(`  raw read of the whole log: ${raw.toFixed(2)} s`);
      rows.push([events, '(raw read of every event, baseline)', '', x(1), raw.toFixed(3), '', history.events]);
      for (const [what, query] of queries) {
        const runs: Replayed[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await replay(store, query));
        const indexed = best(runs);
        const scanned = await replay(withoutIndexedReads(store), query);
        if (indexed.text !== scanned.text) throw new Error(`${what}: the indexed replay's report differs from the scan's`);
        if (indexed.entries === 0) throw new Error(`${what}: nothing replayed; the sample or the range is wrong`);
        log(
          `  ${what}: ${indexed.entries} entries, indexed ${(indexed.seconds * 1000).toFixed(1)} ms, scan ${scanned.seconds.toFixed(2)} s (same bytes, digest ${indexed.digest.slice(0, 12)})`,
        );
        rows.push([
          events,
          what,
          x(ratio(scanned.seconds, indexed.seconds)),
          x(ratio(raw, indexed.seconds)),
          indexed.seconds.toFixed(4),
          scanned.seconds.toFixed(2),
          indexed.entries,
        ]);
        cells.push({
          events: history.events,
          what,
          query,
          entries: indexed.entries,
          bytes: indexed.bytes,
          digest: indexed.digest,
          indexedSeconds: indexed.seconds,
          scanSeconds: scanned.seconds,
          rawSeconds: raw,
        });
      }
      const orderId = await firstOrderOf(store, customer.customerId, month);
      const order = await replay(store, { orderId, ...month });
      rows.push([events, "one of its orders (the order's own stream)", '', x(ratio(raw, order.seconds)), order.seconds.toFixed(4), '', order.entries]);
      cells.push({ events: history.events, what: 'one order', buildSeconds, orderSeconds: order.seconds });
      rows.push([events, 'building the indexes (once, at the first open)', '', '', buildSeconds.toFixed(1), '', '']);
    } finally {
      await store.close();
    }
  });
}

async function firstRevealer(store: EventStore, partnerTenantId: string): Promise<string> {
  const [event] = (await store.readIndexed!(KEY_ACCESS_INDEXES.partnerTenantId, { key: partnerTenantId, from: '0000', before: '9999', maxCount: 1 }))!;
  const data = event?.data as { revealedBy?: { sub?: string }; issuedBy?: { sub?: string } } | undefined;
  const sub = data?.revealedBy?.sub ?? data?.issuedBy?.sub;
  if (!sub) throw new Error(`no key access of partner ${partnerTenantId} names a user`);
  return sub;
}

async function firstOrderOf(store: EventStore, customerId: string, month: { from: string; to: string }): Promise<string> {
  const [event] = (await store.readIndexed!(KEY_ACCESS_INDEXES.customerId, { key: customerId, from: month.from, before: month.to, maxCount: 1 }))!;
  return (event!.data as { orderId: string }).orderId;
}

async function main(): Promise<BenchResult> {
  const rows: unknown[][] = [];
  const cells: unknown[] = [];
  for (const size of SIZES) await atSize(size, rows, cells);
  return {
    name: 'replay',
    description:
      "The auditors' replay (exportKeyAccessReport, JSON lines with digests) of a month of one partner, customer and user, through the key-access indexes, " +
      `against the same replay with the indexes hidden (every key-access event of the log read and filtered, as before; same bytes required) and the raw read of the whole log, ` +
      `in the same run on the same file. Best of ${RUNS} for the indexed replay, page cache warm.`,
    tables: [
      {
        title: 'Replay through the indexes vs the scan of the log',
        columns: ['events', 'replay', 'speed-up over the scan', 'speed / raw read', 'seconds', 'scan seconds', 'entries'],
        rows,
      },
    ],
    data: { runs: cells },
    notes: ["Each indexed report is byte-identical to the scan's (checked in the run): the same entries, digests and trailer."],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
