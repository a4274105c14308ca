/**
 * Shared helpers for the benchmarks: optional dependencies, machine description, timing, tables
 * and the JSON results under bench/results/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(ROOT, 'bench/results');

/** The packages the benchmarks need beyond the product's own dependencies, pinned. */
const BENCH_PACKAGES = ['autocannon@8.0.0', '@event-driven-io/emmett-sqlite@0.38.5', '@event-driven-io/emmett@0.38.5'] as const;

/** Where the benchmark-only packages are installed: a git-ignored folder inside the repository. */
const BENCH_DEPS_DIR = join(ROOT, 'bench/.deps/node_modules');

const INSTALL_HINT =
  `Install the benchmark-only packages into bench/.deps (git-ignored), from the project root:\n` +
  `  npm install --prefix bench/.deps ${BENCH_PACKAGES.join(' ')}\n` +
  `  npm install --prefix bench/.deps --legacy-peer-deps @nestjs/platform-fastify@12.5.0   (for platforms only; the flag keeps npm from adding a second @nestjs/core there)\n` +
  `  npm run bench -- <name>      (BENCH_DEPS=<a node_modules folder> points elsewhere)\n` +
  `(emmett-sqlite's sqlite3 dependency builds from source; that is expected.) ` +
  `Once they are devDependencies of the project, BENCH_DEPS is not needed.`;

/**
 * Loads a benchmark-only package: from $BENCH_DEPS (a node_modules directory) when set, else
 * through normal resolution (when it is a devDependency). Fails with the install command.
 */
function benchDepsDir(): string | undefined {
  return process.env.BENCH_DEPS || (existsSync(BENCH_DEPS_DIR) ? BENCH_DEPS_DIR : undefined);
}

export function benchDep<T = any>(name: string): T {
  const dir = benchDepsDir();
  const attempts: string[] = [];
  if (dir) {
    try {
      // Resolve as if from a file inside that node_modules' parent, so the package's own deps resolve there too.
      return createRequire(join(resolve(dir), '..', 'bench-deps.js'))(name) as T;
    } catch (error) {
      attempts.push(`BENCH_DEPS=${dir}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return createRequire(__filename)(name) as T;
  } catch (error) {
    attempts.push(`project node_modules: ${(error as Error).message.split('\n')[0]}`);
  }
  throw new Error(`Cannot load ${name} (${attempts.join('; ')}).\n${INSTALL_HINT}`);
}

export function depVersion(name: string): string {
  const dir = benchDepsDir();
  for (const base of [dir && join(resolve(dir), '..', 'x.js'), __filename].filter(Boolean) as string[]) {
    try {
      const path = createRequire(base).resolve(`${name}/package.json`);
      return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      // try the next place
    }
  }
  try {
    // Packages whose exports hide package.json: walk up from the entry point.
    let path = createRequire(dir ? join(resolve(dir), '..', 'x.js') : __filename).resolve(name);
    for (let i = 0; i < 6; i++) {
      path = resolve(path, '..');
      try {
        const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { name?: string; version: string };
        if (pkg.name === name) return pkg.version;
      } catch {
        // keep walking
      }
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

const LOAD_AT_START = loadavg();

interface Machine {
  readonly nproc: number;
  /** 1-minute load average when the benchmark started and when it ended: other work on the machine skews everything. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly cpuModel: string;
  readonly memory: string;
  readonly node: string;
  readonly platform: string;
  readonly commit: string;
}

function machine(): Machine {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', cwd: ROOT }).trim();
    } catch {
      return '';
    }
  };
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  const free = sh('free', ['-h']).split('\n')[1]?.replace(/\s+/g, ' ') ?? '';
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    loadAverage: { start: Number(LOAD_AT_START[0]!.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
    cpuModel,
    memory: free || `${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit: sh('git', ['rev-parse', '--short', 'HEAD']),
  };
}

export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const ratio = (a: number, b: number) => (b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? NaN : a / b);

function fmt(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '—';
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
    if (Math.abs(value) >= 10) return value.toFixed(1);
    return value.toFixed(2);
  }
  return value === undefined || value === null ? '—' : String(value);
}

export const x = (r: number) => (Number.isFinite(r) ? `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×` : '—');

/** A Markdown table (also readable in a terminal). */
function table(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((r) => r.map(fmt));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(columns), sep, ...cells.map(line)].join('\n');
}

export interface BenchResult {
  readonly name: string;
  /** What the ratios mean and how the baselines were measured. */
  readonly description: string;
  readonly tables: readonly { title: string; columns: readonly string[]; rows: readonly (readonly unknown[])[] }[];
  readonly data: unknown;
  readonly notes?: readonly string[];
}

/** Prints the tables and writes bench/results/<name>.json (with the machine and the run's time). */
export function report(result: BenchResult, startedAt: number): string {
  const info = machine();
  const text = [
    `\n## ${result.name}\n`,
    result.description,
    `\nmachine: ${info.nproc} cores, ${info.cpuModel}, memory ${info.memory}, node ${info.node}, commit ${info.commit}; load average ${info.loadAverage.start} at start, ${info.loadAverage.end} at end\n`,
    ...result.tables.map((t) => `### ${t.title}\n\n${table(t.columns, t.rows)}\n`),
    ...(result.notes ?? []).map((n) => `- ${n}`),
    `\nran in ${((now() - startedAt) / 1000).toFixed(1)} s`,
  ].join('\n');
  process.stdout.write(`${text}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        name: result.name,
        description: result.description,
        ranAt: new Date().toISOString(),
        seconds: (now() - startedAt) / 1000,
        machine: info,
        tables: result.tables,
        notes: result.notes ?? [],
        data: result.data,
      },
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
      2,
    )}\n`,
  );
  process.stdout.write(`results: ${file}\n`);
  return text;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
