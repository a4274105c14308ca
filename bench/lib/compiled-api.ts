/**
 * The compiled API as a child process on a DATA_DIR of the benchmark's (embedded stores), from this
 * tree or from another build of it (a baseline commit built beside it), until it is ready.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { now, ROOT, sleep } from './common';

export interface CompiledApi {
  readonly pid: number;
  readonly baseUrl: string;
  /**
   * Until /health/live answers (listening), until the application answers /health/ready (serving:
   * any status of its own, not the early listener's), until that is 200 (ready: the read models
   * caught up with the history found at start); and the longest a liveness probe waited meanwhile.
   */
  untilReady(): Promise<{ liveMs: number; servingMs: number; readyMs: number; longestLiveWaitMs: number }>;
  /** SIGTERM, and its exit. */
  stop(): Promise<void>;
}

export const BENCH_SECRET = 'bench';

export function startCompiledApi(dataDir: string, options: { port: number; root?: string; env?: Record<string, string> }): CompiledApi {
  const began = now();
  const root = options.root ?? ROOT;
  const child = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port),
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: BENCH_SECRET,
      LOG_LEVEL: 'warn',
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  return {
    pid: child.pid!,
    baseUrl,
    async untilReady() {
      let liveMs = NaN;
      let servingMs = NaN;
      let longestLiveWaitMs = 0;
      let done = false;
      const failed = () => {
        // Killed by a signal, a process has no exit code but a signal code.
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited (${child.exitCode ?? child.signalCode}) before it was ready`);
        if (now() - began > 3 * 3_600_000) throw new Error('the API did not become ready within three hours');
      };
      // Liveness is probed on its own, every 50 ms: the readiness probe may be held while the application loads.
      const probing = (async () => {
        while (!done) {
          const sent = now();
          try {
            const answer = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(60_000) });
            await answer.arrayBuffer();
            if (answer.status === 200) {
              if (Number.isNaN(liveMs)) liveMs = now() - began;
              else longestLiveWaitMs = Math.max(longestLiveWaitMs, now() - sent);
            }
          } catch {
            // not listening yet
          }
          await sleep(50);
        }
      })();
      try {
        for (;;) {
          failed();
          try {
            if (!Number.isNaN(liveMs)) {
              const answer = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(30_000) });
              const status = ((await answer.json()) as { status?: string }).status;
              if (Number.isNaN(servingMs) && status !== 'unavailable') servingMs = now() - began;
              if (answer.status === 200) return { liveMs, servingMs, readyMs: now() - began, longestLiveWaitMs };
            }
          } catch {
            // not listening yet
          }
          await sleep(50);
        }
      } finally {
        done = true;
        await probing;
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
