/**
 * npm run bench -- lag
 *
 * Projection lag: the time from a command's acknowledgement (a purchase; its answer carries the
 * `position` it was committed at) to its visibility in the read models, measured by a probe
 * process (bench/lag-probe.ts) with the software list's ?atLeast=<position> (the API answers once
 * every read model applied it) while the commands load runs: autocannon, BENCH_CONNECTIONS
 * connections (default 32), cycling purchase → reveal key → issue link → cancel (the cancel takes
 * an order the load just bought). Baselines measured in the same run:
 *  - the same probe on the idle API, before the load (lag with nothing else to project);
 *  - under load, the same query for a position long applied (what a read costs without waiting).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { client } from '../test/support/server';
import { cannon, commandRequests, OrderPool, seedOrders, startApi, type CannonResult } from './lib/api';
import { log, now, percentile, ratio, report, ROOT, sleep, x, type BenchResult } from './lib/common';
import type { ProbeSample } from './lag-probe';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const LOAD_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);

async function probe(config: { baseUrl: string; token: string; customers: string[]; seconds: number; maxSamples: number; pauseMs: number }) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'bench/lag-probe.ts'), JSON.stringify(config)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`lag probe failed (${code}): ${err}`);
  return JSON.parse(out) as { samples: ProbeSample[]; errors: string[] };
}

function summary(samples: readonly ProbeSample[]) {
  const sorted = (f: (s: ProbeSample) => number) => samples.map(f).sort((a, b) => a - b);
  const visible = sorted((s) => s.visibleMs);
  const query = sorted((s) => s.queryMs);
  const command = sorted((s) => s.commandMs);
  return {
    samples: samples.length,
    stale: samples.filter((s) => s.stale).length,
    missing: samples.filter((s) => !s.found).length,
    visible: { p50: percentile(visible, 50), p99: percentile(visible, 99), max: visible[visible.length - 1] ?? NaN },
    query: { p50: percentile(query, 50), p99: percentile(query, 99) },
    command: { p50: percentile(command, 50), p99: percentile(command, 99) },
  };
}

async function main(): Promise<BenchResult> {
  log('starting the API');
  const api = await startApi({ customers: 20 });
  let idle: ReturnType<typeof summary>;
  let loaded: ReturnType<typeof summary>;
  let load: CannonResult;
  let probeErrors: string[] = [];
  try {
    // The probe buys for customers of its own, so its software lists stay small (the load's grow by thousands of orders).
    const call = client(api.baseUrl);
    const probeCustomers: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await call('POST', '/v1/customers', api.token, { name: `Probe ${i}`, domain: `probe-${i}-${Date.now()}.example`, market: 'FR' });
      probeCustomers.push(r.body.customerId);
    }
    const live = await seedOrders(api, 1000);
    const purchased: string[] = [];
    const requests = commandRequests(api, { purchased, live: new OrderPool(live), cancellable: new OrderPool(purchased) });
    const mix = [requests.purchase, requests.revealKey, requests.issueLink, requests.cancel];
    await cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: 2, headers: api.headers, requests: mix });
    await sleep(500);

    log('probe on the idle API');
    const config = { baseUrl: api.baseUrl, token: api.token, customers: probeCustomers };
    const idleRun = await probe({ ...config, seconds: 4, maxSamples: 300, pauseMs: 5 });
    idle = summary(idleRun.samples);

    log(`probe under load (${LOAD_SECONDS} s, ${CONNECTIONS} connections)`);
    const loadRun = cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: LOAD_SECONDS, headers: api.headers, requests: mix });
    await sleep(1000);
    const loadedRun = await probe({ ...config, seconds: LOAD_SECONDS - 2, maxSamples: 100_000, pauseMs: 5 });
    load = await loadRun;
    loaded = summary(loadedRun.samples);
    probeErrors = [...idleRun.errors, ...loadedRun.errors];
  } finally {
    await api.stop();
  }
  const row = (name: string, s: ReturnType<typeof summary>) => [
    name,
    x(ratio(s.visible.p50, idle.visible.p50)),
    x(ratio(s.visible.p99, idle.visible.p99)),
    x(ratio(s.visible.p50, s.query.p50)),
    x(ratio(s.visible.p99, s.query.p99)),
    s.visible.p50,
    s.visible.p99,
    s.visible.max,
    s.query.p50,
    s.query.p99,
    s.samples,
    s.stale + s.missing,
  ];
  return {
    name: 'lag',
    description:
      'Acknowledged purchase → visible in every read model (software list ?atLeast=<position>, answered once all read models applied it), measured by a separate probe process. ' +
      `Load: autocannon, ${CONNECTIONS} connections, ${LOAD_SECONDS} s, cycling purchase → reveal key → issue link → cancel against the compiled API (embedded SQLite event store and read models (DATA_DIR/read-models.sqlite), projections in-process). ` +
      'Baselines in the same run: the idle API (same probe before the load), and under load the same query for an already-applied position (the read itself).',
    tables: [
      {
        title: 'Projection lag (ack → visible) vs the idle API and vs a read that waits for nothing',
        columns: [
          'condition',
          'p50 / idle',
          'p99 / idle',
          'p50 / plain read',
          'p99 / plain read',
          'lag p50 ms',
          'lag p99 ms',
          'max ms',
          'plain read p50 ms',
          'plain read p99 ms',
          'samples',
          'stale or missing',
        ],
        rows: [row('under the commands load', loaded), row('(idle, baseline)', idle)],
      },
      {
        title: 'The load meanwhile',
        columns: ['load', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'non-2xx', 'probe purchase p50 ms', 'probe purchase p99 ms'],
        rows: [
          [
            'purchase/reveal/link/cancel mix',
            Math.round(load.requestsPerSecond),
            load.p50Ms,
            load.p99Ms,
            load.non2xx + load.errors + load.timeouts,
            loaded.command.p50,
            loaded.command.p99,
          ],
        ],
      },
    ],
    data: { connections: CONNECTIONS, loadSeconds: LOAD_SECONDS, idle, loaded, load, probeErrors },
    notes: [
      'The lag figures include the query round trip itself; "p50 / plain read" compares them with the same read when nothing needs waiting for.',
      ...(probeErrors.length > 0 ? [`probe errors: ${probeErrors.slice(0, 5).join(', ')} (${probeErrors.length})`] : []),
    ],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
