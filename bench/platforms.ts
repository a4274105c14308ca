/**
 * npm run bench -- platforms
 *
 * NestJS on Fastify (@nestjs/platform-fastify, benchmark-only, from bench/.deps) against NestJS on
 * Express (the API's platform), side by side: the same empty controller (bench/empty-nest-app.ts),
 * an empty GET and an empty POST with the commands benchmark's body and Authorization header,
 * autocannon with BENCH_CONNECTIONS connections (default 32), BENCH_SECONDS per phase (default 8).
 * BENCH_ROUNDS rounds (default 2) alternate which platform goes first; each figure is the median of
 * the rounds, and the ratio is Fastify ÷ Express in the same run.
 */
import { cannon, startEmptyNest, type CannonResult } from './lib/api';
import { depVersion, log, now, ratio, report, x, type BenchResult } from './lib/common';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PLATFORMS = ['express', 'fastify'] as const;
type Platform = (typeof PLATFORMS)[number];

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function measure(platform: Platform): Promise<{ get: CannonResult; post: CannonResult }> {
  const body = JSON.stringify({ line: 1, version: '2025', language: 'en-us', fileType: 'x64' });
  const headers = { authorization: 'Bearer x'.padEnd(200, 'x'), 'content-type': 'application/json' };
  const app = await startEmptyNest(platform);
  try {
    const post = { method: 'POST', path: '/empty', body };
    await cannon({ url: app.baseUrl, connections: CONNECTIONS, duration: 2, headers, requests: [post] });
    const get = await cannon({
      url: app.baseUrl,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
      requests: [{ method: 'GET', path: '/empty' }],
      serverPid: app.pid,
    });
    const posted = await cannon({ url: app.baseUrl, connections: CONNECTIONS, duration: SECONDS, headers, requests: [post], serverPid: app.pid });
    log(`  ${platform}: GET ${Math.round(get.requestsPerSecond)} req/s, POST ${Math.round(posted.requestsPerSecond)} req/s`);
    return { get, post: posted };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<BenchResult> {
  const runs: Record<Platform, { get: CannonResult; post: CannonResult }[]> = { express: [], fastify: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? PLATFORMS : ([...PLATFORMS].reverse() as Platform[]);
    log(`round ${round + 1}: ${order.join(', ')}`);
    for (const platform of order) runs[platform].push(await measure(platform));
  }
  const figure = (platform: Platform, route: 'get' | 'post', field: 'requestsPerSecond' | 'p50Ms' | 'p99Ms' | 'cpuMsPerRequest') =>
    median(runs[platform].map((r) => r[route][field] ?? NaN));
  const rows = (['get', 'post'] as const).flatMap((route) =>
    PLATFORMS.map((platform) => [
      `${route.toUpperCase()} /empty: ${platform}`,
      x(ratio(figure(platform, route, 'requestsPerSecond'), figure('express', route, 'requestsPerSecond'))),
      x(ratio(figure(platform, route, 'cpuMsPerRequest'), figure('express', route, 'cpuMsPerRequest'))),
      x(ratio(figure(platform, route, 'p99Ms'), figure('express', route, 'p99Ms'))),
      Math.round(figure(platform, route, 'requestsPerSecond')),
      figure(platform, route, 'p50Ms'),
      figure(platform, route, 'p99Ms'),
      Number(figure(platform, route, 'cpuMsPerRequest').toFixed(4)),
      runs[platform].map((r) => Math.round(r[route].requestsPerSecond)).join(', '),
    ]),
  );
  const failed = PLATFORMS.flatMap((p) =>
    runs[p]
      .flatMap((r) => [r.get, r.post])
      .filter((c) => c.non2xx + c.errors + c.timeouts > 0)
      .map(() => p),
  );
  return {
    name: 'platforms',
    description:
      `NestJS on Fastify (@nestjs/platform-fastify ${depVersion('@nestjs/platform-fastify')}, fastify ${depVersion('fastify')}) vs NestJS on Express (@nestjs/platform-express ${depVersion('@nestjs/platform-express')}, express ${depVersion('express')}), ` +
      `the same empty controller (bench/empty-nest-app.ts), autocannon ${depVersion('autocannon')} with ${CONNECTIONS} connections, ${SECONDS} s per phase, ${ROUNDS} rounds alternating which platform goes first; ` +
      'figures are the medians of the rounds; ratios are ÷ Express. Server CPU = CPU time (user + system, /proc) of the server process per 2xx answer.',
    tables: [
      {
        title: 'Empty routes: Fastify vs Express',
        columns: [
          'route: platform',
          'throughput / Express',
          'server CPU / Express',
          'p99 / Express',
          'req/s',
          'p50 ms',
          'p99 ms',
          'server CPU ms/req',
          'req/s per round',
        ],
        rows,
      },
    ],
    data: { connections: CONNECTIONS, seconds: SECONDS, rounds: ROUNDS, runs },
    notes: failed.length ? [`failed requests in ${failed.join(', ')} runs`] : [],
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
