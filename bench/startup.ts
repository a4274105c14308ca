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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCopyOf } from './lib/history-cache';
import { startCompiledApi } from './lib/compiled-api';
import { log, now, ratio, report, x } from './lib/common';

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
  const api = startCompiledApi(dataDir, { port: PORT });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(api.pid));
    } catch {
      // not started yet, or gone
    }
  }, 100);
  try {
    const { liveMs, readyMs } = await api.untilReady();
    return { liveMs, readyMs, rssAtReadyMb: rssMb(api.pid), peakRssMb: Math.max(peak, rssMb(api.pid)) };
  } finally {
    clearInterval(sampler);
    await api.stop();
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
    await onCopyOf(size, async (history, dataDir) => {
      for (const run of ['first start (read models built)', 'restart after a clean stop', 'restart after a clean stop']) {
        const measured = await start(dataDir);
        log(
          `${size} events, ${run}: live ${measured.liveMs.toFixed(0)} ms, ready ${measured.readyMs.toFixed(0)} ms, RSS ${measured.rssAtReadyMb.toFixed(0)} MB`,
        );
        rows.push(row(history.events.toLocaleString('en-US'), run, measured));
        cells.push({ events: history.events, run, ...measured });
      }
    });
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
