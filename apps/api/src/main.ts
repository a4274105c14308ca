import { tracing } from './tracing';
import { loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application/logging';
import { listenEarly } from '@csp/http/early-listener';
import { runService, stopDuringStartUp, stopOnSignal } from '@csp/runtime/service-process';

/**
 * The heaviest packages the application loads, each in its own turn of the event loop. Loading is
 * synchronous and the early listener answers only between turns: in one piece it would keep liveness
 * waiting for the whole second; in these, for the longest of them (about 0.3 s here).
 */
const PACKAGES = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/swagger', '@nestjs/cqrs', 'class-validator', 'prom-client'];

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel, { service: 'api' });
  // Listening comes first, before the application's modules are even loaded (see listenEarly).
  const early = await listenEarly(config.port, config.http, logger);
  logger.info(`Listening on port ${early.port}`, { port: early.port });
  const startingStop = stopDuringStartUp(logger, () => early.fail());
  try {
    for (const name of PACKAGES) {
      await import(name);
      await nextTurn();
    }
    const { createRuntime } = await import('@csp/runtime');
    await nextTurn();
    const { createApi } = await import('./create-api');
    await nextTurn();
    const runtime = await createRuntime(config, logger);
    const app = await createApi(runtime, early);
    await app.listen(early.port);
    logger.info(`Serving on port ${early.port}`, { port: early.port, startedInMs: Math.round(process.uptime() * 1000) });

    startingStop();
    stopOnSignal(
      logger,
      async () => {
        await app.close();
        await runtime.close();
      },
      tracing,
    );
  } catch (error) {
    early.fail();
    throw error;
  }
}

runService(main);
