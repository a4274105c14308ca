import { tracing } from './tracing';
import 'reflect-metadata';
import { loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application';
import { createRuntime, runService, stopOnSignal } from '@csp/runtime';
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

  stopOnSignal(
    logger,
    async () => {
      await app.close();
      await runtime.close();
    },
    tracing,
  );
}

runService(main);
