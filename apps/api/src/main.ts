import { tracing } from './tracing';
import 'reflect-metadata';
import { loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application';
import { createRuntime } from '@csp/runtime';
import { createApi } from './create-api';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel, { service: 'api' });
  const runtime = await createRuntime(config, logger);
  const app = await createApi(runtime);
  await app.listen(config.port);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`Listening on port ${port}`, { port });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    await app.close();
    await runtime.close();
    await tracing.shutdown().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'Start-up failed', error: (error as Error).message })}\n`);
  process.exit(1);
});
