/**
 * npm run bench -- scale
 *
 * The embedded default at a partner's size: the compiled API (SQLite event store, read models in
 * DATA_DIR/read-models.sqlite, projections in process) on generated histories of BENCH_SCALE_SIZES
 * events (default 100,000, 1,000,000 and 5,000,000; generated once and cached, see
 * lib/history-cache.ts). For each size:
 *   - the first start on the history alone (every read model built; cached with the read models it
 *     leaves, BENCH_SCALE_FRESH=1 to build again), then two restarts after a clean stop on a copy:
 *     until /health/live answers (listening), until /health/ready answers 200 (caught up), RSS at
 *     ready and the peak RSS seen; also until the application serves (the API listens and answers
 *     liveness before it is loaded) and the longest a liveness probe waited from listening to ready;
 *   - the query routes one request at a time (p50/p99 at the client, answer size): a heavy
 *     customer's software list and order history, credits, the activity log, analytics.
 * Then the endurance curve at BENCH_SCALE_ENDURANCE_SIZE events (default 1,000,000): 8 clients of
 * purchases, key reveals and download links for BENCH_SCALE_MINUTES minutes (default 10),
 * throughput, p99 and RSS minute by minute.
 * Baselines in the same run: the same API on an empty DATA_DIR (the floor of start-up, and of a
 * route: /health/live), and the endurance's first minute. The figures the issue was filed with on
 * this machine (before the durable read models) are printed beside them as "filed".
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../test/support/server';
import { cannon, processCpuSeconds } from './lib/api';
import { BENCH_SECRET, startCompiledApi, type CompiledApi } from './lib/compiled-api';
import { log, now, ratio, report, x } from './lib/common';
import { cachedHistory, type CachedHistory } from './lib/history-cache';
import { measure, type Measured } from './lib/latency';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '100000,1000000,5000000').split(',').map(Number);
const ENDURANCE_SIZE = Number(process.env.BENCH_SCALE_ENDURANCE_SIZE ?? 1_000_000);
const MINUTES = Number(process.env.BENCH_SCALE_MINUTES ?? 10);
const CLIENTS = 8;
const PORT = Number(process.env.BENCH_SCALE_PORT ?? 3992);
const VERSION = 1;
/** The rate limits would answer most reveals with 429: the run measures the commands (as bench commands does). */
const UNLIMITED = { KEY_ACCESS_LIMIT_PER_USER: '1000000', KEY_ACCESS_LIMIT_PER_TENANT: '1000000' };

/** As filed in issue 15, measured on this machine before the read models were durable. */
const FILED: Record<number, { firstAnswerMs?: number; rssMb?: number; note: string }> = {
  100_000: { firstAnswerMs: 2_700, rssMb: 370, note: '2.7 s, 370 MB' },
  1_000_000: { firstAnswerMs: 20_300, rssMb: 2_300, note: '20.3 s, 2.1–2.5 GB' },
  5_000_000: { note: 'crashed after 203 s (heap exhausted); 183 s and 8.7 GB with a 12 GB heap' },
};

interface Start {
  readonly liveMs: number;
  /** Until the application answers (it listens, and answers liveness, before). */
  readonly servingMs: number;
  readonly readyMs: number;
  /** The longest a liveness probe (every 50 ms) waited, from listening to ready. */
  readonly longestLiveWaitMs: number;
  readonly rssAtReadyMb: number;
  readonly peakRssMb: number;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Starts the API on `dataDir` until ready; `work` runs while it is up; then a clean stop. */
async function started<T>(dataDir: string, work: (api: CompiledApi, start: Start) => Promise<T>): Promise<T> {
  const api = startCompiledApi(dataDir, { port: PORT, env: UNLIMITED });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(api.pid));
    } catch {
      // not started yet, or gone
    }
  }, 100);
  try {
    const { liveMs, servingMs, readyMs, longestLiveWaitMs } = await api.untilReady();
    const start = { liveMs, servingMs, readyMs, longestLiveWaitMs, rssAtReadyMb: rssMb(api.pid), peakRssMb: Math.max(peak, rssMb(api.pid)) };
    clearInterval(sampler);
    return await work(api, start);
  } finally {
    clearInterval(sampler);
    await api.stop();
  }
}

/** A DATA_DIR holding the history and the read models its first start built, cached; with the first start's figures. */
async function prepared(history: CachedHistory): Promise<{ dir: string; first: Start & { commit?: string; cached: boolean } }> {
  const dir = join(process.env.BENCH_HISTORY_DIR ?? tmpdir(), `csp-bench-scale-v${VERSION}-${history.events}`);
  const meta = join(dir, 'first-start.json');
  if (process.env.BENCH_SCALE_FRESH !== '1' && existsSync(meta)) return { dir, first: { ...(JSON.parse(readFileSync(meta, 'utf8')) as Start), cached: true } };
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(history.dir, partial, { recursive: true });
  rmSync(join(partial, 'meta.json'), { force: true });
  log(`${history.events.toLocaleString('en-US')} events: first start, every read model built (cached for later runs)`);
  const first = await started(partial, async (_api, start) => start);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  writeFileSync(meta, `${JSON.stringify(first, null, 2)}\n`);
  return { dir, first: { ...first, cached: false } };
}

/** The routes asked: a heavy customer's lists, credits, the activity log and analytics, as their users ask them. */
function routes(history: CachedHistory) {
  const customer = history.sampleCustomers[1]!;
  const month = customer.firstOrderAt.slice(0, 7);
  const partner = mintToken(BENCH_SECRET, { sub: 'bench-agent', tid: customer.partnerTenantId, roles: ['admin-agent'] }, 24 * 3600);
  const auditor = mintToken(BENCH_SECRET, { sub: 'bench-auditor', tid: customer.partnerTenantId, roles: ['global-admin'] }, 24 * 3600);
  const office = mintToken(BENCH_SECRET, { sub: 'bench-office', tid: '00000000-0000-4000-8000-000000000002', roles: ['back-office'] }, 24 * 3600);
  const analyst = mintToken(BENCH_SECRET, { sub: 'bench-analyst', tid: '00000000-0000-4000-8000-000000000001', roles: ['analyst'] }, 24 * 3600);
  return [
    { name: '(GET /health/live, baseline)', token: partner, path: '/health/live' },
    { name: "a customer's software list", token: partner, path: `/v1/customers/${customer.customerId}/software` },
    { name: "a customer's order history", token: partner, path: `/v1/customers/${customer.customerId}/orders` },
    { name: 'credits, no month (first page)', token: office, path: '/v1/credits' },
    { name: 'credits, one month', token: office, path: `/v1/credits?month=${month}` },
    { name: "activity log, a customer's month", token: auditor, path: `/v1/activity-log?from=${month}-01&to=${month}-28&customerId=${customer.customerId}` },
    { name: 'analytics: credits by customer', token: analyst, path: '/v1/analytics/credits?groupBy=customer' },
    { name: 'analytics: purchases by SKU and market', token: analyst, path: '/v1/analytics/purchases?groupBy=sku,market' },
    {
      name: 'analytics: key access per day, whole history',
      token: analyst,
      path: `/v1/analytics/key-access?from=${history.first.slice(0, 10)}&to=${history.last.slice(0, 10)}`,
    },
  ];
}

interface SizeResult {
  /** The size asked for (the generated history holds a few more events: whole orders). */
  readonly size: number;
  readonly events: number;
  readonly first: Start & { cached: boolean };
  readonly restarts: Start[];
  readonly routes: { name: string; measured: Measured }[];
}

async function atSize(size: number): Promise<SizeResult> {
  const history = await cachedHistory(size);
  const { dir, first } = await prepared(history);
  const copy = mkdtempSync(join(tmpdir(), 'csp-bench-scale-data-'));
  try {
    cpSync(dir, copy, { recursive: true });
    const restarts: Start[] = [];
    restarts.push(await started(copy, async (_api, start) => start));
    const asked = routes(history);
    const measuredRoutes = await started(copy, async (api, start) => {
      restarts.push(start);
      const out: { name: string; measured: Measured }[] = [];
      for (const route of asked) {
        const measured = await measure(api.baseUrl, route.token, route.path);
        log(`  ${route.name}: p50 ${measured.p50Ms.toFixed(2)} ms, p99 ${measured.p99Ms.toFixed(2)} ms, ${measured.bytes.toLocaleString('en-US')} bytes`);
        out.push({ name: route.name, measured });
      }
      return out;
    });
    for (const s of restarts)
      log(
        `  restart: live ${s.liveMs.toFixed(0)} ms, serving ${s.servingMs.toFixed(0)} ms, ready ${s.readyMs.toFixed(0)} ms, longest live wait ${s.longestLiveWaitMs.toFixed(0)} ms, RSS ${s.rssAtReadyMb.toFixed(0)} MB (peak ${s.peakRssMb.toFixed(0)})`,
      );
    return { size, events: history.events, first, restarts, routes: measuredRoutes };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

interface Minute {
  readonly minute: number;
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly rssMb: number;
  readonly cpuMsPerRequest: number | undefined;
  readonly failed: number;
}

/** Purchases, reveals and links from CLIENTS connections, minute by minute, on a copy of the prepared DATA_DIR. */
async function endurance(): Promise<Minute[]> {
  if (MINUTES <= 0) return [];
  const history = await cachedHistory(ENDURANCE_SIZE);
  const { dir } = await prepared(history);
  const copy = mkdtempSync(join(tmpdir(), 'csp-bench-scale-endurance-'));
  try {
    cpSync(dir, copy, { recursive: true });
    return await started(copy, async (api) => {
      const partner = randomUUID();
      const token = mintToken(BENCH_SECRET, { sub: 'bench-agent', tid: partner, roles: ['admin-agent'] }, 24 * 3600);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const customers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${api.baseUrl}/v1/customers`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: `Endurance ${i}`, domain: `endurance-${i}-${partner.slice(0, 8)}.example`, market: 'FR' }),
        });
        if (res.status !== 201) throw new Error(`registering a customer: ${res.status} ${await res.text()}`);
        customers.push(((await res.json()) as { customerId: string }).customerId);
      }
      const orders: string[] = [];
      let nextCustomer = 0;
      let nextOrder = 0;
      const selection = JSON.stringify({ line: 1, version: '2025', language: 'en-us', fileType: 'x64' });
      const requests = [
        {
          method: 'POST',
          body: JSON.stringify({ lines: [{ sku: 'WS2025-STD', quantity: 2 }] }),
          setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/customers/${customers[nextCustomer++ % customers.length]}/orders` }),
          onResponse: (status: number, body: string) => {
            if (status === 201) orders.push((JSON.parse(body) as { orderId: string }).orderId);
          },
        },
        {
          method: 'POST',
          body: selection,
          setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/orders/${orders[nextOrder++ % orders.length]}/keys` }),
        },
        {
          method: 'POST',
          body: selection,
          setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/orders/${orders[nextOrder++ % orders.length]}/download-links` }),
        },
      ];
      // Orders to reveal and link from the first request on.
      await cannon({ url: api.baseUrl, connections: CLIENTS, amount: 200, headers, requests: [requests[0]!] });
      const minutes: Minute[] = [];
      for (let minute = 1; minute <= MINUTES; minute++) {
        const cpuBefore = processCpuSeconds(api.pid);
        const result = await cannon({ url: api.baseUrl, connections: CLIENTS, duration: 60, headers, requests, serverPid: api.pid });
        const cpu = processCpuSeconds(api.pid);
        const row = {
          minute,
          requestsPerSecond: result.requestsPerSecond,
          p99Ms: result.p99Ms,
          rssMb: rssMb(api.pid),
          cpuMsPerRequest: cpu !== undefined && cpuBefore !== undefined ? ((cpu - cpuBefore) * 1000) / Math.max(result.ok, 1) : undefined,
          failed: result.non2xx + result.errors + result.timeouts,
        };
        log(`  minute ${minute}: ${Math.round(row.requestsPerSecond)} req/s, p99 ${row.p99Ms} ms, RSS ${row.rssMb.toFixed(0)} MB, ${row.failed} failed`);
        minutes.push(row);
      }
      return minutes;
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main() {
  const empty = mkdtempSync(join(tmpdir(), 'csp-bench-scale-empty-'));
  const floor = await started(empty, async (_api, start) => start);
  rmSync(empty, { recursive: true, force: true });
  log(`empty DATA_DIR: live ${floor.liveMs.toFixed(0)} ms, ready ${floor.readyMs.toFixed(0)} ms, RSS ${floor.rssAtReadyMb.toFixed(0)} MB`);
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await atSize(size));
  const minutes = await endurance();

  const startRow = (events: string, run: string, s: Start, filed = '') => [
    events,
    run,
    x(ratio(s.liveMs, floor.liveMs)),
    x(ratio(s.readyMs, floor.readyMs)),
    Math.round(s.liveMs),
    Math.round(s.servingMs),
    Math.round(s.readyMs),
    Math.round(s.longestLiveWaitMs),
    Math.round(s.rssAtReadyMb),
    Math.round(s.peakRssMb),
    filed,
  ];
  const starts = [startRow('0', 'empty DATA_DIR (baseline)', floor)];
  const queries: unknown[][] = [];
  for (const r of results) {
    const events = r.events.toLocaleString('en-US');
    const filed = FILED[r.size];
    starts.push(startRow(events, `first start: read models built${r.first.cached ? ' (cached from an earlier run)' : ''}`, r.first));
    for (const s of r.restarts) {
      const vsFiled = filed?.firstAnswerMs
        ? `${filed.note} → ${x(ratio(s.readyMs, filed.firstAnswerMs))} time, ${x(ratio(s.rssAtReadyMb, filed.rssMb!))} memory`
        : (filed?.note ?? '');
      starts.push(startRow(events, 'restart after a clean stop', s, vsFiled));
    }
    const health = r.routes[0]!.measured;
    for (const { name, measured } of r.routes)
      queries.push([events, name, x(ratio(measured.p50Ms, health.p50Ms)), measured.p50Ms, measured.p99Ms, measured.bytes, measured.samples]);
  }
  const firstMinute = minutes[0];
  const curve = minutes.map((m) => [
    m.minute,
    x(ratio(m.requestsPerSecond, firstMinute!.requestsPerSecond)),
    Math.round(m.requestsPerSecond),
    m.p99Ms,
    m.cpuMsPerRequest,
    Math.round(m.rssMb),
    m.failed,
  ]);
  return {
    name: 'scale',
    description:
      'The compiled API with the embedded stores on generated histories: start-up (first start, restarts after a clean stop), RSS, query latency one request at a time, ' +
      `and an endurance run of ${CLIENTS} clients (purchase, reveal key, issue link) minute by minute at ${ENDURANCE_SIZE.toLocaleString('en-US')} events. ` +
      'Baselines in the same run: an empty DATA_DIR for start-up, GET /health/live for the routes, the first minute for the endurance curve; "filed" is what issue 15 measured before the durable read models.',
    tables: [
      {
        title: 'Start-up',
        columns: [
          'events',
          'start',
          'live / empty',
          'ready / empty',
          'live ms',
          'serving ms',
          'ready ms',
          'longest live wait ms',
          'RSS at ready MB',
          'peak RSS MB',
          'filed (first answer, RSS) → now',
        ],
        rows: starts,
      },
      { title: 'Queries, one at a time', columns: ['events', 'route', 'p50 / health', 'p50 ms', 'p99 ms', 'answer bytes', 'samples'], rows: queries },
      ...(minutes.length > 0
        ? [
            {
              title: `Endurance at ${ENDURANCE_SIZE.toLocaleString('en-US')} events`,
              columns: ['minute', 'throughput / first minute', 'req/s', 'p99 ms', 'server CPU ms/req', 'RSS MB', 'failed'],
              rows: curve,
            },
          ]
        : []),
    ],
    data: { floor, results, minutes, filed: FILED },
  };
}

export async function run(): Promise<void> {
  const startedAt = now();
  report(await main(), startedAt);
}
