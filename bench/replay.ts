/**
 * npm run bench -- replay
 *
 * An auditor's replay: the key-access history (ProductKeyRevealed, DownloadLinkIssued,
 * SoftwareDownloaded) of one customer over a date range, read straight from the event store of a
 * generated ~1M-event history (cached, see lib/history-cache.ts) through the EventStore port:
 * readAll with a type filter, then customerId and occurredAt checked on each event. Against the
 * raw read limit measured in the same run: the same readAll loop over the whole log, no filter, no
 * processing. For reference (not the product): the same question asked of SQLite directly with
 * json_extract, which shows what pushing the filter into the query would buy.
 */
import Database from 'better-sqlite3';
import { KEY_ACCESS_EVENT_TYPES } from '@csp/audit';
import { replayKeyAccess } from '@csp/audit/history';
import { ORDER_STREAM_PREFIX } from '@csp/domain';
import { START, type EventStore, type Position, type RecordedEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { log, now, ratio, report, x, type BenchResult } from './lib/common';
import { cachedHistory } from './lib/history-cache';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ACCESS_TYPES = [...KEY_ACCESS_EVENT_TYPES];
const PAGE = 1000;
const RUNS = 3;

interface Timed {
  seconds: number;
  scanned: number;
  matched: number;
}

async function readEverything(store: EventStore): Promise<Timed> {
  const t0 = now();
  let after: Position = START;
  let scanned = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    scanned += page.length;
    after = page[page.length - 1]!.position;
  }
  return { seconds: (now() - t0) / 1000, scanned, matched: 0 };
}

/** The replay as an auditor's tool would do it with the port today. */
async function replay(store: EventStore, customerId: string, from: string, to: string, head: number): Promise<Timed & { events: RecordedEvent[] }> {
  const t0 = now();
  let after: Position = START;
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE, filter: { streamPrefixes: [ORDER_STREAM_PREFIX], eventTypes: ACCESS_TYPES } });
    if (page.length === 0) break;
    for (const e of page) {
      const at = e.metadata.occurredAt;
      if ((e.data as { customerId?: string }).customerId === customerId && at >= from && at < to) events.push(e);
    }
    after = page[page.length - 1]!.position;
  }
  return { seconds: (now() - t0) / 1000, scanned: head, matched: events.length, events };
}

/** Reference only: the filter pushed into SQL (full scan still, but nothing parsed in JS that does not match). */
function sqlReplay(file: string, customerId: string, from: string, to: string, head: number): Timed {
  const db = new Database(file, { readonly: true });
  try {
    const t0 = now();
    const rows = db
      .prepare(
        `SELECT * FROM events WHERE type IN (${ACCESS_TYPES.map(() => '?').join(',')}) AND substr(stream_id, 1, ${ORDER_STREAM_PREFIX.length}) = '${ORDER_STREAM_PREFIX}'
           AND json_extract(data, '$.customerId') = ? AND json_extract(metadata, '$.occurredAt') >= ? AND json_extract(metadata, '$.occurredAt') < ? ORDER BY position`,
      )
      .all(...ACCESS_TYPES, customerId, from, to) as { data: string; metadata: string }[];
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    return { seconds: (now() - t0) / 1000, scanned: head, matched: rows.length };
  } finally {
    db.close();
  }
}

/** The product's replay of one order (`npm run audit -- replay --order`): its own stream, not the log. */
async function orderReplay(store: EventStore, orderId: string, from: string, to: string): Promise<Timed> {
  const t0 = now();
  let matched = 0;
  for await (const _entry of replayKeyAccess(store, { orderId, from, to })) matched++;
  return { seconds: (now() - t0) / 1000, scanned: 0, matched };
}

const best = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

async function main(): Promise<BenchResult> {
  const history = await cachedHistory(EVENTS);
  const customer = history.sampleCustomers[Math.min(1, history.sampleCustomers.length - 1)]!;
  const from = new Date(Date.parse(customer.firstOrderAt) - 86_400_000).toISOString();
  const to = new Date(Date.parse(customer.firstOrderAt) + 30 * 86_400_000).toISOString();
  const store = openSqliteEventStore({ file: history.file });
  const head = Number((await store.headPosition()).commit);
  const raws: Timed[] = [];
  const replays: (Timed & { events: RecordedEvent[] })[] = [];
  const sqls: Timed[] = [];
  const orders: Timed[] = [];
  let orderId = '';
  try {
    log(`warming the page cache; then ${RUNS} interleaved runs of each`);
    await readEverything(store);
    for (let i = 0; i < RUNS; i++) {
      raws.push(await readEverything(store));
      replays.push(await replay(store, customer.customerId, from, to, head));
      sqls.push(sqlReplay(history.file, customer.customerId, from, to, head));
      orderId ||= (replays[0]!.events[0]!.data as { orderId: string }).orderId;
      orders.push(await orderReplay(store, orderId, from, to));
      log(
        `  raw ${raws[i]!.seconds.toFixed(2)} s, replay ${replays[i]!.seconds.toFixed(2)} s (${replays[i]!.matched} events), SQL ${sqls[i]!.seconds.toFixed(2)} s (${sqls[i]!.matched}), one order ${(orders[i]!.seconds * 1000).toFixed(2)} ms (${orders[i]!.matched})`,
      );
    }
  } finally {
    await store.close();
  }
  const [raw, rep, sql, order] = [best(raws), best(replays), best(sqls), best(orders)];
  const orderExpected = rep.events.filter((e) => (e.data as { orderId?: string }).orderId === orderId).length;
  if (order.matched !== orderExpected) throw new Error(`The order replay found ${order.matched} entries, the customer replay ${orderExpected} for that order`);
  if (rep.matched !== sql.matched) throw new Error(`The replay found ${rep.matched} events, the SQL reference ${sql.matched}`);
  if (rep.matched === 0) throw new Error('The replay found nothing: the sample customer or date range is wrong');
  const byType = Object.fromEntries(ACCESS_TYPES.map((t) => [t, rep.events.filter((e) => e.type === t).length]));
  const perSecond = (t: Timed) => t.scanned / t.seconds;
  return {
    name: 'replay',
    description:
      `Key-access history of one customer (${customer.customerId}) from ${from} to ${to}, replayed from the event store of ${head.toLocaleString('en-US')} events ` +
      '(readAll filtered by the three access event types, customerId and occurredAt checked per event), vs the raw read limit measured in the same run ' +
      `(readAll over the whole log, no filter). Best of ${RUNS} interleaved runs, page cache warm. Ratio > 1 = faster than reading the whole log.`,
    tables: [
      {
        title: 'Replay vs the raw read of the whole log',
        columns: ['read', 'speed / raw read', 'seconds', 'log events covered/s', 'events returned'],
        rows: [
          ['replay through the EventStore port', x(ratio(raw.seconds, rep.seconds)), rep.seconds, Math.round(perSecond(rep)), rep.matched],
          ['(raw read of every event, baseline)', x(1), raw.seconds, Math.round(perSecond(raw)), raw.scanned],
          ['(reference: filter in SQL with json_extract)', x(ratio(raw.seconds, sql.seconds)), sql.seconds, Math.round(perSecond(sql)), sql.matched],
          [
            `one of its orders (replay --order: the order's own stream)`,
            x(ratio(raw.seconds, order.seconds)),
            `${(order.seconds * 1000).toFixed(2)} ms`,
            undefined,
            order.matched,
          ],
        ],
      },
    ],
    data: { customer, from, to, head, byType, raw: raws, replay: replays.map(({ events: _e, ...r }) => r), sql: sqls, order: { orderId, runs: orders } },
    notes: [
      `returned ${rep.matched} events: ${Object.entries(byType)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')}; the SQL reference returns the same count.`,
      "Neither the port nor the schema can narrow a replay to one customer or a date range: every such replay scans the whole log, so its time grows with the log, not with the answer. A replay of one order reads only that order's stream.",
    ],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
