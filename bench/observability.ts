/**
 * npm run bench -- observability
 *
 * What metrics and tracing cost a command: purchase and reveal key under a closed-loop load
 * (BENCH_CONNECTIONS clients, default 16, BENCH_SECONDS per phase, default 6) against the compiled
 * API (embedded SQLite event store and read models, projections in process), in five variants started
 * one after the other on fresh data, BENCH_ROUNDS times (default 2) in turn: the baseline with
 * neither (METRICS=false, no OTLP endpoint), metrics alone (the default), tracing alone, both, and
 * both with one trace in ten sampled (OTEL_TRACES_SAMPLER=parentbased_traceidratio). Tracing
 * otherwise samples every request (the SDK's default sampler) and exports OTLP/HTTP protobuf to a
 * sink in this process that drops what it gets: the cost measured is the service's, not a collector's.
 * Each figure is the median of its rounds, as a ratio to the baseline's of the same run; server
 * CPU per answered request is the steadiest (the load runs on the same cores).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedOrders, startApi, type CannonResult } from './lib/api';
import { closedLoop } from './lib/load';
import { log, now, ratio, report, x, type BenchResult } from './lib/common';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SELECTION = JSON.stringify({ line: 1, version: '2025', language: 'en-us', fileType: 'x64' });
const PURCHASE = JSON.stringify({ lines: [{ sku: 'WS2025-STD', quantity: 2 }] });
const PHASES = ['purchase', 'reveal key'] as const;

interface Variant {
  readonly name: string;
  readonly env: (sink: string) => Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { name: 'neither (baseline)', env: () => ({ METRICS: 'false' }) },
  { name: 'metrics', env: () => ({}) },
  { name: 'tracing', env: (sink) => ({ METRICS: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_SERVICE_NAME: 'csp-bench' }) },
  { name: 'metrics + tracing', env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_SERVICE_NAME: 'csp-bench' }) },
  {
    name: 'metrics + tracing 10 %',
    env: (sink) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink,
      OTEL_SERVICE_NAME: 'csp-bench',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
];

/** One variant: a fresh API, a warm-up, then each phase. */
async function measure(variant: Variant, sink: string): Promise<Record<(typeof PHASES)[number], CannonResult>> {
  const api = await startApi({ env: variant.env(sink) });
  try {
    const orders = await seedOrders(api, 200);
    let customer = 0;
    let order = 0;
    const purchase = () => ({ path: `/v1/customers/${api.customers[customer++ % api.customers.length]}/orders`, body: PURCHASE });
    const reveal = () => ({ path: `/v1/orders/${orders[order++ % orders.length]}/keys`, body: SELECTION });
    const run = (next: () => { path: string; body: string }, seconds: number) =>
      closedLoop({ baseUrl: api.baseUrl, connections: CONNECTIONS, seconds, headers: api.headers, next, serverPid: api.server.process.pid });
    // Warm-up: JIT, caches, the first WAL growth.
    await run(purchase, 2);
    await run(reveal, 1);
    return { purchase: await run(purchase, SECONDS), 'reveal key': await run(reveal, SECONDS) };
  } finally {
    await api.stop();
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<BenchResult> {
  let spansReceived = 0;
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      spansReceived++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

  const results = new Map<string, Record<(typeof PHASES)[number], CannonResult>[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const variant of VARIANTS) {
        log(`round ${round}/${ROUNDS}: ${variant.name}`);
        const measured = await measure(variant, sinkUrl);
        results.get(variant.name)!.push(measured);
        log(`  purchase ${Math.round(measured.purchase.requestsPerSecond)} req/s, reveal ${Math.round(measured['reveal key'].requestsPerSecond)} req/s`);
      }
    }
  } finally {
    await new Promise((resolve) => sink.close(resolve));
  }

  const figure = (variant: string, phase: (typeof PHASES)[number], pick: (r: CannonResult) => number) =>
    median(results.get(variant)!.map((r) => pick(r[phase])));
  const baseline = VARIANTS[0]!.name;
  const rows = PHASES.flatMap((phase) =>
    VARIANTS.map((variant) => {
      const cpu = figure(variant.name, phase, (r) => r.cpuMsPerRequest ?? NaN);
      const rps = figure(variant.name, phase, (r) => r.requestsPerSecond);
      const p50 = figure(variant.name, phase, (r) => r.p50Ms);
      const p99 = figure(variant.name, phase, (r) => r.p99Ms);
      return [
        `${phase}: ${variant.name}`,
        x(
          ratio(
            cpu,
            figure(baseline, phase, (r) => r.cpuMsPerRequest ?? NaN),
          ),
        ),
        x(
          ratio(
            rps,
            figure(baseline, phase, (r) => r.requestsPerSecond),
          ),
        ),
        x(
          ratio(
            p99,
            figure(baseline, phase, (r) => r.p99Ms),
          ),
        ),
        Number(cpu.toFixed(3)),
        Math.round(rps),
        p50,
        p99,
      ];
    }),
  );
  const failures = [...results.entries()].flatMap(([variant, runs]) =>
    runs.flatMap((run, index) =>
      PHASES.filter((phase) => run[phase].non2xx + run[phase].errors > 0).map(
        (phase) => `${variant}, round ${index + 1}, ${phase}: ${run[phase].non2xx} non-2xx, ${run[phase].errors} errors`,
      ),
    ),
  );
  return {
    name: 'observability',
    description:
      `The cost of metrics and of tracing per command: purchase and reveal key against the compiled API (embedded SQLite event store and read models, projections in process), ` +
      `${CONNECTIONS} closed-loop keep-alive clients, ${SECONDS} s per phase after a warm-up, each variant on a fresh DATA_DIR, ${ROUNDS} rounds in turn; figures are the medians of the rounds. ` +
      'Baseline in the same run: the same API with METRICS=false and no OTLP endpoint (the tracing SDK not loaded). Tracing samples every request (but in the 10 % variant: OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1) and exports OTLP/HTTP protobuf to a local sink. ' +
      'Ratios = variant ÷ baseline: server CPU per 2xx answer (user + system, /proc; the steadiest figure), throughput, p99 latency.',
    tables: [
      {
        title: 'Commands with metrics and tracing vs without',
        columns: ['phase: variant', 'server CPU / baseline', 'throughput / baseline', 'p99 / baseline', 'server CPU ms/req', 'req/s', 'p50 ms', 'p99 ms'],
        rows,
      },
    ],
    data: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, exportRequests: spansReceived, results: Object.fromEntries(results) },
    notes: [`the sink received ${spansReceived} OTLP export requests`, ...failures],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
