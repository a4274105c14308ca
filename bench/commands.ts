/**
 * npm run bench -- commands
 *
 * End-to-end HTTP throughput and latency (p50/p99) of purchase, reveal key, issue download link
 * and cancel under concurrent load (autocannon, BENCH_CONNECTIONS connections, default 32) against
 * the compiled API (dist/apps/api/src/main.js: embedded SQLite event store, read models in DATA_DIR/read-models.sqlite,
 * projections running in the same process), each against the HTTP-stack limit measured in the
 * same run: an empty POST route of a NestJS app on the same platform (bench/empty-nest-app.ts).
 * Reveal and link requests go round-robin over the orders bought in the purchase phase; each
 * cancel takes an order of its own, so every request of every phase is expected to succeed.
 * BENCH_COMMANDS_SHAPE=split: the API as a scaled-out replica instead (RUN_PROJECTIONS=false, read
 * models, leases and rate limits in Redis at REDIS_URL, default 127.0.0.1:6379, under a key prefix
 * of its own, deleted after): what a command costs once the projections run elsewhere.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { cannon, commandRequests, OrderPool, startApi, startEmptyNest, type CannonResult } from './lib/api';
import { depVersion, log, now, ratio, report, x, type BenchResult } from './lib/common';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SPLIT = process.env.BENCH_COMMANDS_SHAPE === 'split';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function main(): Promise<BenchResult> {
  const body = JSON.stringify({ line: 1, version: '2025', language: 'en-us', fileType: 'x64' });
  log('empty Nest routes (HTTP-stack limit)');
  const empty = await startEmptyNest();
  let emptyGet: CannonResult;
  let emptyPost: CannonResult;
  const emptyHeaders = { authorization: 'Bearer x'.padEnd(200, 'x'), 'content-type': 'application/json' };
  try {
    await cannon({ url: empty.baseUrl, connections: CONNECTIONS, duration: 2, headers: emptyHeaders, requests: [{ method: 'POST', path: '/empty', body }] });
    emptyGet = await cannon({
      url: empty.baseUrl,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: emptyHeaders,
      requests: [{ method: 'GET', path: '/empty' }],
      serverPid: empty.pid,
    });
    emptyPost = await cannon({
      url: empty.baseUrl,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: emptyHeaders,
      requests: [{ method: 'POST', path: '/empty', body }],
      serverPid: empty.pid,
    });
  } finally {
    await empty.stop();
  }
  log(`  empty GET ${Math.round(emptyGet.requestsPerSecond)} req/s, POST ${Math.round(emptyPost.requestsPerSecond)} req/s`);

  log(`starting the API${SPLIT ? ' (split shape: RUN_PROJECTIONS=false, Redis)' : ''}`);
  const prefix = `csp-bench-commands-${randomUUID()}:`;
  const api = await startApi(SPLIT ? { env: { RUN_PROJECTIONS: 'false', REDIS_URL, REDIS_KEY_PREFIX: prefix } } : {});
  const phases: { name: string; result: CannonResult }[] = [];
  try {
    const purchased: string[] = [];
    const pools = { purchased, live: new OrderPool(purchased), cancellable: new OrderPool([]) };
    const requests = commandRequests(api, pools);
    // Warm-up: JIT, caches, the first WAL growth.
    await cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: 2, headers: api.headers, requests: [requests.purchase] });
    await cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: 1, headers: api.headers, requests: [requests.revealKey] });
    const warm = purchased.length;

    log('purchase');
    phases.push({
      name: 'purchase',
      result: await cannon({
        url: api.baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: api.headers,
        requests: [requests.purchase],
        serverPid: api.server.process.pid,
      }),
    });
    // Each cancel needs an order nobody cancelled yet: the ones bought during the measured phase.
    pools.cancellable.ids.push(...purchased.slice(warm));
    log(`  ${purchased.length} orders; reveal key`);
    phases.push({
      name: 'reveal key',
      result: await cannon({
        url: api.baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: api.headers,
        requests: [requests.revealKey],
        serverPid: api.server.process.pid,
      }),
    });
    log('issue download link');
    phases.push({
      name: 'issue link',
      result: await cannon({
        url: api.baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: api.headers,
        requests: [requests.issueLink],
        serverPid: api.server.process.pid,
      }),
    });
    // Each connection builds one request ahead that it may never send: leave slack so that no cancel falls back to a cancelled order.
    const amount = Math.max(0, pools.cancellable.size - 2 * CONNECTIONS);
    log(`cancel (${amount} orders)`);
    phases.push({
      name: 'cancel',
      result: await cannon({
        url: api.baseUrl,
        connections: CONNECTIONS,
        amount,
        headers: api.headers,
        requests: [requests.cancel],
        serverPid: api.server.process.pid,
      }),
    });
  } finally {
    await api.stop();
    if (SPLIT) await deleteKeys(prefix);
  }

  /** A table row: the result's figures and, for the ratios, the same figures of the empty POST route. */
  const row = (name: string, result: CannonResult) => [
    name,
    x(ratio(result.requestsPerSecond, emptyPost.requestsPerSecond)),
    x(ratio(result.p50Ms, emptyPost.p50Ms)),
    x(ratio(result.p99Ms, emptyPost.p99Ms)),
    Math.round(result.requestsPerSecond),
    result.p50Ms,
    result.p99Ms,
    x(ratio(result.cpuMsPerRequest ?? NaN, emptyPost.cpuMsPerRequest ?? NaN)),
    result.cpuMsPerRequest,
    result.ok,
    result.non2xx + result.errors + result.timeouts,
  ];
  return {
    name: SPLIT ? 'commands-split' : 'commands',
    description:
      `End-to-end commands over HTTP against the compiled API (${SPLIT ? 'split shape: embedded SQLite event store, RUN_PROJECTIONS=false, read models, leases and rate limits in Redis, no projector running' : 'embedded SQLite event store and read models (DATA_DIR/read-models.sqlite), projections in-process'}), autocannon ${depVersion('autocannon')} with ${CONNECTIONS} connections, ` +
      `${SECONDS} s per phase (cancel: one request per order bought in the purchase phase). Baseline in the same run: an empty POST route of a NestJS/Express app (same body, a same-size Authorization header). ` +
      'Throughput ratio = command req/s ÷ empty-route req/s (the share of the HTTP-stack limit reached); latency ratios = command ÷ empty route (how many times slower); ' +
      "server CPU = CPU time (user + system, /proc) of the server process per 2xx answer, ÷ the empty route's: the steadiest figure when other work shares the machine.",
    tables: [
      {
        title: 'Commands vs the empty Nest route',
        columns: [
          'command',
          'throughput / empty',
          'p50 / empty',
          'p99 / empty',
          'req/s',
          'p50 ms',
          'p99 ms',
          'server CPU / empty',
          'server CPU ms/req',
          '2xx',
          'failed',
        ],
        rows: [
          ...phases.map(({ name, result }) => row(name, result)),
          [
            '(empty POST, baseline)',
            x(1),
            x(1),
            x(1),
            Math.round(emptyPost.requestsPerSecond),
            emptyPost.p50Ms,
            emptyPost.p99Ms,
            x(1),
            emptyPost.cpuMsPerRequest,
            emptyPost.ok,
            emptyPost.non2xx + emptyPost.errors,
          ],
          row('(empty GET)', emptyGet),
        ],
      },
    ],
    data: { connections: CONNECTIONS, seconds: SECONDS, emptyGet, emptyPost, phases, autocannon: depVersion('autocannon') },
    notes: phases
      .filter((p) => p.result.non2xx + p.result.errors + p.result.timeouts > 0)
      .map((p) => `${p.name}: ${p.result.non2xx} non-2xx, ${p.result.errors} errors, ${p.result.timeouts} timeouts`),
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}

/** The split run's keys, whatever wrote them. */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
