import type { JsonLogger } from '@csp/application';

/**
 * A long-running service's process (the API, the projector): `main` starts it; a failure to start
 * is one JSON line on stderr and exit code 1, before the application served anything (the API's
 * early listener may have answered liveness meanwhile).
 */
export function runService(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'Start-up failed', error: (error as Error).message })}\n`);
    process.exit(1);
  });
}

/**
 * At the first SIGTERM or SIGINT: says so, runs `close` (stop taking work, finish what is in
 * flight, close the stores), flushes the traces, and exits 0. A second signal during that changes nothing.
 */
export function stopOnSignal(logger: JsonLogger, close: () => Promise<void>, tracing: { shutdown(): Promise<void> }): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    await close();
    await tracing.shutdown().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * Until stopOnSignal takes over, at the end of a start (which may take minutes: a first index
 * build): a SIGTERM or SIGINT stops the process at once, after `stop` (answer what waits), exit 0.
 * Returns what removes it.
 */
export function stopDuringStartUp(logger: JsonLogger, stop: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    logger.info('Shutting down during start-up', { signal });
    stop();
    // A moment for the answers to be written; what was being built is redone at the next start.
    setTimeout(() => process.exit(0), 100);
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
