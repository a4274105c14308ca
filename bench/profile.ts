/**
 * npm run bench -- profile
 *
 * CPU profile of the compiled API (node --cpu-prof dist/apps/api/src/main.js) under the same
 * phases as `commands` (purchase, reveal key, issue link, cancel; autocannon, BENCH_CONNECTIONS
 * connections). The profile is cut into the phases by time (the API and this process share the
 * monotonic clock) and each phase's hot spots are listed: self time by function and by package,
 * and inclusive time of the product's own functions. The .cpuprofile stays in a temp directory
 * (printed) for Chrome DevTools or speedscope.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannon, commandRequests, OrderPool, startApi, type CannonResult } from './lib/api';
import { log, now, report, type BenchResult } from './lib/common';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const micros = () => Number(process.hrtime.bigint() / 1000n);

/** Where a function comes from: a package, the product's lib or app, Node itself, or V8's pseudo-frames. */
function category(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native V8/C++)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const lib = /dist\/(libs|apps)\/([^/]+)\//.exec(url);
  if (lib) return lib[1] === 'libs' ? `@csp/${lib[2]}` : `apps/${lib[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

function label(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/dist\//, '')
    .replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

/** The HTTP framework's own packages: what another platform (Fastify) would replace. */
const EXPRESS_PACKAGES =
  /node_modules\/(express|router|body-parser|raw-body|type-is|content-type|parseurl|finalhandler|send|on-finished|media-typer|mime-types|depd|iconv-lite|qs|etag|fresh|path-to-regexp|encodeurl|escape-html|accepts|negotiator|vary|proxy-addr|forwarded|ipaddr\.js|statuses|http-errors|bytes|@nestjs\/platform-express)\//;
const PSEUDO_FRAMES = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** Self time of the HTTP layers, a native frame (a socket write) counted with the JavaScript that called it. */
interface HttpShares {
  express: number;
  nest: number;
  node: number;
}

interface PhaseProfile {
  samples: number;
  self: { fn: string; category: string; share: number }[];
  categories: { category: string; share: number }[];
  productInclusive: { fn: string; share: number }[];
  http: HttpShares;
}

function analyse(profile: CpuProfile, from: number, to: number): PhaseProfile {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, { count: number; category: string }>();
  const categories = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let t = profile.startTime;
  let samples = 0;
  const http = { express: 0, nest: 0, node: 0 };
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i]!;
    if (t < from || t > to) return;
    samples++;
    const node = byId.get(id)!;
    const key = label(node.callFrame);
    const cat = category(node.callFrame.url, node.callFrame.functionName);
    const entry = self.get(key) ?? { count: 0, category: cat };
    entry.count++;
    self.set(key, entry);
    categories.set(cat, (categories.get(cat) ?? 0) + 1);
    let caller: number | undefined = id;
    while (caller !== undefined && !byId.get(caller)!.callFrame.url && !PSEUDO_FRAMES.has(byId.get(caller)!.callFrame.functionName))
      caller = parent.get(caller);
    const url = caller === undefined ? '' : byId.get(caller)!.callFrame.url;
    if (EXPRESS_PACKAGES.test(url)) http.express++;
    else if (/node_modules\/@nestjs\/(core|common)\//.test(url)) http.nest++;
    else if (/^node:(_http|net|internal\/streams|internal\/http|stream)/.test(url)) http.node++;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!/\/dist\/(libs|apps)\//.test(frame.url)) continue;
      const k = label(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
    }
  });
  const share = (n: number) => n / Math.max(samples, 1);
  return {
    samples,
    self: [...self]
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 15)
      .map(([fn, e]) => ({ fn, category: e.category, share: share(e.count) })),
    categories: [...categories]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([c, n]) => ({ category: c, share: share(n) })),
    productInclusive: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, n]) => ({ fn, share: share(n) })),
    http: { express: share(http.express), nest: share(http.nest), node: share(http.node) },
  };
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

async function main(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'csp-bench-profile-'));
  log(`starting the API with --cpu-prof (profile into ${dir})`);
  const api = await startApi({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const windows: { name: string; from: number; to: number; result: CannonResult }[] = [];
  try {
    const purchased: string[] = [];
    const pools = { purchased, live: new OrderPool(purchased), cancellable: new OrderPool([]) };
    const requests = commandRequests(api, pools);
    await cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: 2, headers: api.headers, requests: [requests.purchase] });
    const warm = purchased.length;
    const phase = async (name: string, run: () => Promise<CannonResult>) => {
      log(name);
      const from = micros();
      const result = await run();
      windows.push({ name, from, to: micros(), result });
    };
    await phase('purchase', () =>
      cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: SECONDS, headers: api.headers, requests: [requests.purchase] }),
    );
    pools.cancellable.ids.push(...purchased.slice(warm));
    await phase('reveal key', () =>
      cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: SECONDS, headers: api.headers, requests: [requests.revealKey] }),
    );
    await phase('issue link', () =>
      cannon({ url: api.baseUrl, connections: CONNECTIONS, duration: SECONDS, headers: api.headers, requests: [requests.issueLink] }),
    );
    const amount = Math.max(0, pools.cancellable.size - 2 * CONNECTIONS);
    await phase('cancel', () => cannon({ url: api.baseUrl, connections: CONNECTIONS, amount, headers: api.headers, requests: [requests.cancel] }));
  } finally {
    // Stops the API (its profile is written on exit) and removes its DATA_DIR; the profile stays in its own folder.
    await api.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`No .cpuprofile was written into ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const phases = windows.map((w) => ({
    name: w.name,
    fromMicros: w.from,
    toMicros: w.to,
    requestsPerSecond: w.result.requestsPerSecond,
    p99Ms: w.result.p99Ms,
    profile: analyse(profile, w.from, w.to),
  }));
  const slowest = [...phases].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[0]!;
  log(`profile: ${join(dir, file)}`);
  return {
    name: 'profile',
    description:
      `CPU profile (node --cpu-prof, 1 ms sampling) of the compiled API under the commands phases (autocannon, ${CONNECTIONS} connections, ${SECONDS} s each; cancel one request per order). ` +
      `Shares are of the API process's samples inside each phase (idle included). Slowest phase: ${slowest.name} (${Math.round(slowest.requestsPerSecond)} req/s under the profiler). Profile file: ${join(dir, file)}.`,
    tables: [
      {
        title: 'HTTP layers, self time (a socket write counted with its caller): Express and its packages are what Fastify would replace',
        columns: ['phase', 'Express + its packages', 'Nest core/common', 'node http/net/streams', 'req/s under the profiler'],
        rows: phases.map((p) => [p.name, pct(p.profile.http.express), pct(p.profile.http.nest), pct(p.profile.http.node), Math.round(p.requestsPerSecond)]),
      },
      ...phases.flatMap((p) => [
        {
          title: `${p.name}: self time by package (${Math.round(p.requestsPerSecond)} req/s under the profiler)`,
          columns: ['package / frame', 'share of samples'],
          rows: p.profile.categories.slice(0, p === slowest ? 15 : 8).map((c) => [c.category, pct(c.share)]),
        },
        ...(p === slowest
          ? [
              {
                title: `${p.name}: top self time by function`,
                columns: ['function', 'package', 'share'],
                rows: p.profile.self.map((s) => [s.fn, s.category, pct(s.share)]),
              },
              {
                title: `${p.name}: product functions, inclusive time`,
                columns: ['function', 'share'],
                rows: p.profile.productInclusive.map((s) => [s.fn, pct(s.share)]),
              },
            ]
          : []),
      ]),
    ],
    data: { profileFile: join(dir, file), phases },
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
