/**
 * Drives the compiled API over HTTP for the commands and lag benchmarks: starts it the way the
 * e2e tests do (test/support/server.ts), seeds a partner with customers, wraps autocannon, and
 * starts the empty Nest app that gives the HTTP-stack limit.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { client, mintToken, startServer, type RunningServer } from '../../test/support/server';
import { benchDep, log, ROOT } from './common';

const SKU = { sku: 'WS2025-STD', version: '2025', language: 'en-us', fileType: 'x64' } as const;
const SELECTION = { line: 1, version: SKU.version, language: SKU.language, fileType: SKU.fileType };

export interface ApiFixture {
  readonly server: RunningServer;
  readonly baseUrl: string;
  readonly token: string;
  readonly headers: Record<string, string>;
  readonly customers: string[];
  stop(): Promise<void>;
}

/** The compiled API on a fresh DATA_DIR (embedded SQLite event store and read models), with one partner and its customers. */
export async function startApi(options: { customers?: number; env?: Record<string, string>; nodeArgs?: readonly string[] } = {}): Promise<ApiFixture> {
  // The key-access rate limits (SPEC defaults: 60 per user, 600 per tenant a minute) would turn
  // most reveals and links into 429s: the benchmark measures the commands, not the limiter
  // (1,000,000 a minute is the highest the configuration accepts, far above what one API serves).
  const env = {
    KEY_ACCESS_LIMIT_PER_USER: '1000000',
    KEY_ACCESS_LIMIT_PER_TENANT: '1000000',
    // To try runtime flags on the benchmarked API (e.g. --max-semi-space-size=32).
    ...(process.env.BENCH_API_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS } : {}),
    ...options.env,
  };
  // With node flags (a profile), a long run: only the end of the API's output is kept.
  const server = options.nodeArgs?.length ? await startServer({ env, nodeArgs: options.nodeArgs, keepLogChars: 20_000 }) : await startServer({ env });
  const partner = randomUUID();
  const token = mintToken(server.secret, { sub: 'bench-agent', tid: partner, roles: ['admin-agent'] }, 6 * 3600);
  const call = client(server.baseUrl);
  const customers: string[] = [];
  for (let i = 0; i < (options.customers ?? 20); i++) {
    const r = await call('POST', '/v1/customers', token, { name: `Bench customer ${i}`, domain: `bench-${i}-${partner.slice(0, 8)}.example`, market: 'FR' });
    if (r.status !== 201) throw new Error(`Seeding a customer failed: ${r.status} ${r.text}`);
    customers.push(r.body.customerId);
  }
  return {
    server,
    baseUrl: server.baseUrl,
    token,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    customers,
    async stop() {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}

export interface CannonResult {
  readonly requestsPerSecond: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly seconds: number;
  /** CPU time (user + system) the server process spent per 2xx answer, when its pid was given: less sensitive than req/s to other work on the machine. */
  readonly cpuMsPerRequest?: number;
  /** The server's CPU use during the run, in cores (1 = one core busy all the time). */
  readonly serverCores?: number;
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (USER_HZ = 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface CannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration?: number;
  readonly amount?: number;
  readonly headers?: Record<string, string>;
  readonly requests: readonly Record<string, unknown>[];
  /** The server's pid, to report its CPU time per request. */
  readonly serverPid?: number;
}

/** One autocannon run; throughput counts 2xx answers only. */
export async function cannon(options: CannonOptions): Promise<CannonResult> {
  const autocannon = benchDep('autocannon');
  const started = process.hrtime.bigint();
  const cpuBefore = processCpuSeconds(options.serverPid);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 8 }),
    headers: options.headers ?? {},
    requests: options.requests,
    timeout: 10,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = processCpuSeconds(options.serverPid);
  const ok = result['2xx'] as number;
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    ...(cpu !== undefined ? { cpuMsPerRequest: (cpu * 1000) / Math.max(ok, 1), serverCores: cpu / seconds } : {}),
    requestsPerSecond: ok / seconds,
    ok,
    non2xx: result.non2xx as number,
    errors: result.errors as number,
    timeouts: result.timeouts as number,
    p50Ms: result.latency.p50 as number,
    p99Ms: result.latency.p99 as number,
    meanMs: result.latency.average as number,
    seconds,
  };
}

/** The empty Nest app (bench/empty-nest-app.ts) as a child process: on Express (the API's platform) or on Fastify. */
export async function startEmptyNest(
  platform: 'express' | 'fastify' = 'express',
): Promise<{ baseUrl: string; pid: number | undefined; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'bench/empty-nest-app.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      EMPTY_NEST_PLATFORM: platform,
      ...(process.env.BENCH_DEPS ? { BENCH_DEPS: process.env.BENCH_DEPS } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`empty Nest app did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /Listening on port (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`empty Nest app exited with ${code}:\n${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A pool of order ids handed out round-robin (reveal, link) or each once (cancel). */
export class OrderPool {
  private next = 0;
  constructor(readonly ids: string[]) {}
  roundRobin(): string {
    const id = this.ids[this.next % this.ids.length]!;
    this.next++;
    return id;
  }
  take(): string | undefined {
    return this.ids.pop();
  }
  get size(): number {
    return this.ids.length;
  }
}

/** The four commands as autocannon requests. Purchases add their order ids to `purchased`. */
export function commandRequests(api: ApiFixture, pools: { purchased: string[]; live: OrderPool; cancellable: OrderPool }) {
  let customer = 0;
  const purchaseBody = JSON.stringify({ lines: [{ sku: SKU.sku, quantity: 2 }] });
  const selectionBody = JSON.stringify(SELECTION);
  const cancelBody = JSON.stringify({ reason: 'benchmark' });
  return {
    purchase: {
      method: 'POST',
      body: purchaseBody,
      setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/customers/${api.customers[customer++ % api.customers.length]}/orders` }),
      onResponse: (status: number, body: string) => {
        if (status === 201) pools.purchased.push((JSON.parse(body) as { orderId: string }).orderId);
      },
    },
    revealKey: {
      method: 'POST',
      body: selectionBody,
      setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/orders/${pools.live.roundRobin()}/keys` }),
    },
    issueLink: {
      method: 'POST',
      body: selectionBody,
      setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/orders/${pools.live.roundRobin()}/download-links` }),
    },
    cancel: {
      method: 'POST',
      body: cancelBody,
      setupRequest: (req: Record<string, unknown>) => {
        const id = pools.cancellable.take();
        // Out of cancellable orders: cancel a live one again (409), which the caller counts as non-2xx.
        return { ...req, path: `/v1/orders/${id ?? pools.live.roundRobin()}/cancel` };
      },
    },
  };
}

/** Purchases `count` orders directly (for pools), `parallel` at a time. */
export async function seedOrders(api: ApiFixture, count: number, parallel = 16): Promise<string[]> {
  const call = client(api.baseUrl);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        const r = await call('POST', `/v1/customers/${api.customers[i % api.customers.length]}/orders`, api.token, { lines: [{ sku: SKU.sku, quantity: 2 }] });
        if (r.status !== 201) throw new Error(`Seeding an order failed: ${r.status} ${r.text}`);
        ids.push(r.body.orderId);
      }
    }),
  );
  log(`seeded ${ids.length} orders`);
  return ids;
}
