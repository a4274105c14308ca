/**
 * npm run bench -- analytics
 *
 * The analysts' routes at a partner's size: the compiled API with the embedded stores on a
 * generated history of BENCH_ANALYTICS_SIZES events (default 1,000,000; cached between runs, see
 * lib/history-cache.ts), each route asked one request at a time (as a dashboard or an export
 * does), its latency p50 and p99 measured by the client.
 *
 * Baseline in the same run: the same routes on the same history answered by the build of the
 * commit before the analytics groupings were kept by their projection (BENCH_ANALYTICS_BEFORE,
 * default 5d49589), which groups every counter or credit on each request. It is built once into
 * a folder of the system temp directory (cached by commit). The before API starts first and builds
 * every read model; the after API then starts on the same DATA_DIR, as an upgrade does, and
 * rebuilds the analytics read model alone (its projection's fingerprint changed): that start is
 * measured too. Each route's answers from both are compared byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../test/support/server';
import { BENCH_SECRET, startCompiledApi } from './lib/compiled-api';
import { onCopyOf, type CachedHistory } from './lib/history-cache';
import { log, now, ratio, report, ROOT, x } from './lib/common';
import { measure, type Measured } from './lib/latency';

const SIZES = (process.env.BENCH_ANALYTICS_SIZES ?? '1000000').split(',').map(Number);
const BEFORE = process.env.BENCH_ANALYTICS_BEFORE ?? '5d49589';
const PORT = Number(process.env.BENCH_ANALYTICS_PORT ?? 3991);

/** The build of `commit` (its compiled API), beside this tree, with this tree's node_modules. */
function built(commit: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short=12', commit], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `csp-bench-build-${sha}`);
  if (existsSync(join(dir, 'dist/apps/api/src/main.js'))) return dir;
  log(`building ${sha} into ${dir} (cached for later runs)`);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C '${partial}'`], { cwd: ROOT });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(partial, 'node_modules'));
  execFileSync('npm', ['run', '-s', 'build'], { cwd: partial, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

interface Route {
  readonly name: string;
  readonly path: string;
}

/** The routes asked, on this history: every grouping, a filter and a partner's scope, and pages far from the first. */
function routes(history: CachedHistory, deep: { credits: number; keyAccess: number }): Route[] {
  const partner = history.sampleCustomers[1]!.partnerTenantId;
  const first = history.first.slice(0, 10);
  const last = history.last.slice(0, 10);
  const middle = new Date((Date.parse(history.first) + Date.parse(history.last)) / 2).toISOString().slice(0, 7);
  const all = `from=${first}&to=${last}`;
  return [
    { name: 'credits by partner', path: '/v1/analytics/credits?groupBy=partner' },
    { name: 'credits by customer', path: '/v1/analytics/credits?groupBy=customer' },
    { name: 'credits by family', path: '/v1/analytics/credits?groupBy=family' },
    { name: 'credits by customer, one month', path: `/v1/analytics/credits?groupBy=customer&month=${middle}` },
    { name: 'credits by customer, one partner', path: `/v1/analytics/credits?groupBy=customer&partnerTenantId=${partner}` },
    { name: 'credits by customer, last page', path: `/v1/analytics/credits?groupBy=customer&offset=${deep.credits}` },
    { name: 'purchases by SKU', path: '/v1/analytics/purchases?groupBy=sku' },
    { name: 'purchases by market', path: '/v1/analytics/purchases?groupBy=market' },
    { name: 'purchases by SKU and market', path: '/v1/analytics/purchases?groupBy=sku,market' },
    { name: 'purchases by SKU, one partner', path: `/v1/analytics/purchases?groupBy=sku&partnerTenantId=${partner}` },
    { name: 'key access per day, whole history', path: `/v1/analytics/key-access?${all}` },
    { name: 'key access per day, one month', path: `/v1/analytics/key-access?from=${middle}-01&to=${middle}-28` },
    { name: 'key access per day, one partner', path: `/v1/analytics/key-access?${all}&partnerTenantId=${partner}` },
    { name: 'key access per day, last page', path: `/v1/analytics/key-access?${all}&offset=${deep.keyAccess}` },
    { name: 'cancellations (unchanged)', path: '/v1/analytics/cancellations' },
  ];
}

async function totalOf(baseUrl: string, token: string, path: string): Promise<number> {
  const res = await fetch(`${baseUrl}${path}&limit=1`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { total: number }).total;
}

/** Starts the API of `root` on `dataDir`, waits for it to be ready, measures every route, stops it. */
async function measureBuild(label: string, root: string, dataDir: string, history: CachedHistory, token: string) {
  const api = startCompiledApi(dataDir, { port: PORT, root });
  try {
    const start = await api.untilReady();
    log(`${label}: ready in ${(start.readyMs / 1000).toFixed(1)} s`);
    const credits = await totalOf(api.baseUrl, token, '/v1/analytics/credits?groupBy=customer');
    const days = await totalOf(api.baseUrl, token, `/v1/analytics/key-access?from=${history.first.slice(0, 10)}&to=${history.last.slice(0, 10)}`);
    const asked = routes(history, { credits: Math.max(0, credits - 100), keyAccess: Math.max(0, days - 100) });
    const measured: Record<string, Measured> = {};
    for (const route of asked) {
      measured[route.name] = await measure(api.baseUrl, token, route.path);
      log(`${label}: ${route.name}: p50 ${measured[route.name]!.p50Ms.toFixed(2)} ms, p99 ${measured[route.name]!.p99Ms.toFixed(2)} ms`);
    }
    return { start, groups: { creditsByCustomer: credits, keyAccessDays: days }, routes: asked, measured };
  } finally {
    await api.stop();
  }
}

async function main() {
  const before = built(BEFORE);
  const token = mintToken(BENCH_SECRET, { sub: 'bench-analyst', tid: '00000000-0000-4000-8000-000000000001', roles: ['analyst'] }, 24 * 3600);
  const rows: unknown[][] = [];
  const starts: unknown[][] = [];
  const cells: unknown[] = [];
  for (const size of SIZES) {
    await onCopyOf(size, async (history, dataDir) => {
      const was = await measureBuild('before', before, dataDir, history, token);
      const is = await measureBuild('after', ROOT, dataDir, history, token);
      const events = history.events.toLocaleString('en-US');
      starts.push([events, 'before: every read model built', Math.round(was.start.readyMs / 1000)]);
      starts.push([events, 'after, on the same DATA_DIR: the analytics read model rebuilt', Math.round(is.start.readyMs / 1000)]);
      for (const route of is.routes) {
        const b = was.measured[route.name]!;
        const a = is.measured[route.name]!;
        const same = a.answer === b.answer ? 'yes' : 'NO';
        rows.push([
          events,
          route.name,
          x(ratio(b.p50Ms, a.p50Ms)),
          x(ratio(b.p99Ms, a.p99Ms)),
          b.p50Ms,
          b.p99Ms,
          a.p50Ms,
          a.p99Ms,
          `${b.samples}/${a.samples}`,
          same,
        ]);
      }
      cells.push({ events: history.events, before: was, after: is });
    });
  }
  return {
    name: 'analytics',
    description:
      'The analytics routes of the compiled API (embedded SQLite event store and read models) on a generated history, one request at a time: ' +
      `latency p50 and p99 at the client. Ratios: the build of ${BEFORE} (every grouping computed per request, the baseline), measured in the same run on the same DATA_DIR, over this one.`,
    tables: [
      {
        title: 'Analytics routes: how many times faster after than before',
        columns: [
          'events',
          'route',
          'p50 before/after',
          'p99 before/after',
          'before p50 ms',
          'before p99 ms',
          'after p50 ms',
          'after p99 ms',
          'samples before/after',
          'same answer',
        ],
        rows,
      },
      { title: 'Starts', columns: ['events', 'start', 'ready s'], rows: starts },
    ],
    data: { before: BEFORE, cells },
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
