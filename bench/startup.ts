/**
 * npm run bench -- startup
 *
 * The embedded default's start-up at a partner's size: the compiled API on a generated history of
 * BENCH_STARTUP_SIZES events (default 100,000 and 1,000,000; cached between runs, see
 * lib/history-cache.ts), started three times on one copy of it:
 *   - first start: no read models yet, built from the first event (once per install, and after a
 *     projection changes);
 *   - restart after a clean stop, twice: the read models resume from their checkpoints.
 * For each: until /health/live answers (the process listens), until /health/ready answers 200
 * (the read models caught up with the history found at start), RSS then, and the peak RSS seen.
 * Baseline in the same run: the same API on an empty DATA_DIR, the floor of start-up.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedHistory } from './lib/history-cache';
import { log, now, ratio, report, ROOT, sleep, x } from './lib/common';

const SIZES = (process.env.BENCH_STARTUP_SIZES ?? '100000,1000000').split(',').map(Number);
const PORT = Number(process.env.BENCH_STARTUP_PORT ?? 3990);

interface Start {
  readonly liveMs: number;
  readonly readyMs: number;
  readonly rssAtReadyMb: number;
  readonly peakRssMb: number;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Starts the compiled API on `dataDir`, measures until ready, and stops it cleanly. */
async function start(dataDir: string): Promise<Start> {
  const began = now();
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: 'bench',
      LOG_LEVEL: 'warn',
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(child.pid!));
    } catch {
      // not started yet, or gone
    }
  }, 100);
  let liveMs = NaN;
  let readyMs = NaN;
  try {
    for (;;) {
      if (now() - began > 30 * 60_000) throw new Error('the API did not become ready within 30 minutes');
      try {
        if (Number.isNaN(liveMs) && (await fetch(`http://127.0.0.1:${PORT}/health/live`, { signal: AbortSignal.timeout(1000) })).status === 200)
          liveMs = now() - began;
        if (!Number.isNaN(liveMs) && (await fetch(`http://127.0.0.1:${PORT}/health/ready`, { signal: AbortSignal.timeout(1000) })).status === 200) {
          readyMs = now() - began;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    return { liveMs, readyMs, rssAtReadyMb: rssMb(child.pid!), peakRssMb: Math.max(peak, rssMb(child.pid!)) };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main() {
  const rows: unknown[][] = [];
  const cells: unknown[] = [];
  const empty = mkdtempSync(join(tmpdir(), 'csp-bench-startup-empty-'));
  const floor = await start(empty);
  rmSync(empty, { recursive: true, force: true });
  log(`empty DATA_DIR: live ${floor.liveMs.toFixed(0)} ms, ready ${floor.readyMs.toFixed(0)} ms, RSS ${floor.rssAtReadyMb.toFixed(0)} MB`);
  const row = (events: string, run: string, s: Start) => [
    events,
    run,
    x(ratio(s.liveMs, floor.liveMs)),
    x(ratio(s.readyMs, floor.readyMs)),
    Math.round(s.liveMs),
    Math.round(s.readyMs),
    Math.round(s.rssAtReadyMb),
    Math.round(s.peakRssMb),
  ];
  rows.push(row('0', 'empty (baseline)', floor));
  for (const size of SIZES) {
    const history = await cachedHistory(size);
    const dataDir = mkdtempSync(join(tmpdir(), 'csp-bench-startup-'));
    try {
      cpSync(history.dir, dataDir, { recursive: true });
      for (const run of ['first start (read models built)', 'restart after a clean stop', 'restart after a clean stop']) {
        const measured = await start(dataDir);
        log(
          `${size} events, ${run}: live ${measured.liveMs.toFixed(0)} ms, ready ${measured.readyMs.toFixed(0)} ms, RSS ${measured.rssAtReadyMb.toFixed(0)} MB`,
        );
        rows.push(row(history.events.toLocaleString('en-US'), run, measured));
        cells.push({ events: history.events, run, ...measured });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return {
    name: 'startup',
    description:
      'Start-up of the compiled API with the embedded stores (SQLite event store, read models in DATA_DIR/read-models.sqlite) on a generated history: ' +
      'time until /health/live answers and until /health/ready answers 200, RSS at ready and the peak seen. Ratios against the same API on an empty DATA_DIR, in the same run.',
    tables: [
      {
        title: 'Start-up vs an empty DATA_DIR',
        columns: ['events', 'start', 'live / empty', 'ready / empty', 'live ms', 'ready ms', 'RSS at ready MB', 'peak RSS MB'],
        rows,
      },
    ],
    data: { floor, cells },
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
