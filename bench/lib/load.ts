/**
 * A closed-loop HTTP load for benchmarks that must run without autocannon: `connections` clients
 * on keep-alive sockets, each sending its next request as soon as the previous one is answered.
 */
import { Agent, request } from 'node:http';
import { processCpuSeconds, type CannonResult } from './api';
import { now, percentile } from './common';

export interface LoadOptions {
  readonly baseUrl: string;
  readonly connections: number;
  readonly seconds: number;
  readonly headers: Record<string, string>;
  /** The next request's path and body. */
  readonly next: () => { readonly path: string; readonly body: string };
  /** The server's pid, to report its CPU time per answered request. */
  readonly serverPid?: number;
}

function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs the load for `seconds`; throughput counts 2xx answers only (the same figures as cannon()). */
export async function closedLoop(options: LoadOptions): Promise<CannonResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const started = now();
  const deadline = started + options.seconds * 1000;
  const cpuBefore = processCpuSeconds(options.serverPid);
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (now() < deadline) {
        const { path, body } = options.next();
        const sent = now();
        try {
          const status = await post(agent, new URL(path, options.baseUrl), options.headers, body);
          latencies.push(now() - sent);
          if (status >= 200 && status < 300) ok++;
          else non2xx++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  const cpuAfter = processCpuSeconds(options.serverPid);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    ...(cpu !== undefined ? { cpuMsPerRequest: (cpu * 1000) / Math.max(ok, 1), serverCores: cpu / seconds } : {}),
    requestsPerSecond: ok / seconds,
    ok,
    non2xx,
    errors,
    timeouts: 0,
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    meanMs: Number((latencies.reduce((sum, l) => sum + l, 0) / Math.max(1, latencies.length)).toFixed(2)),
    seconds,
  };
}
