import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a compiled command line (`npm run build` first) with PATH and `env` only, from the
 * repository root, and resolves when it ends; `whileRunning` gets the child (to signal it).
 */
export function runCli(entry: string, args: readonly string[], env: Record<string, string>, whileRunning?: (child: ChildProcess) => void): Promise<CliRun> {
  const main = join(ROOT, entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
    whileRunning?.(child);
  });
}

export const STORE_CLI = 'dist/apps/cli/src/store/main.js';
export const AUDIT_CLI = 'dist/apps/cli/src/audit/main.js';
