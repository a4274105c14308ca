import { tracing } from './tracing';
import type { RequestListener } from 'node:http';
import { loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application/logging';
import { listenEarly } from '@csp/http/early-listener';
import type { ProjectorRuntime } from '@csp/runtime';
import { runService, stopDuringStartUp, stopOnSignal } from '@csp/runtime/service-process';

/**
 * The projections as their own process, for installs that scale the API out: reads the event
 * store from the read models' checkpoints and writes them to Redis, and delivers the webhooks
 * (APIs that do not project do not). Several instances are safe: only the holder of a read
 * model's lease applies events to it, and only the holder of the webhook lease delivers.
 *
 * Its health server listens first, as the API does (listenEarly): liveness is answered while the
 * runtime loads and opens its stores, and readiness and metrics wait for it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel, { service: 'projector' });
  const early = await listenEarly(config.projectorPort, config.http, logger);
  logger.info(`Projector health on port ${early.port}`, { port: early.port });
  const startingStop = stopDuringStartUp(logger, () => early.fail());
  try {
    const { createProjectorRuntime } = await import('@csp/runtime');
    const runtime = await createProjectorRuntime(config, logger);
    early.serve(healthOf(runtime));
    logger.info('Projector running', { startedInMs: Math.round(process.uptime() * 1000) });
    startingStop();
    stopOnSignal(
      logger,
      async () => {
        early.server.close();
        await runtime.close();
      },
      tracing,
    );
  } catch (error) {
    early.fail();
    throw error;
  }
}

/** The projector's routes: its probes and its metrics. */
function healthOf({ readSide, webhooks, metrics }: ProjectorRuntime): RequestListener {
  return (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/health/live') return send(200, { status: 'ok' });
    if (request.url === '/metrics' && metrics) {
      void metrics.scrape().then(
        ({ contentType, body }) => {
          response.writeHead(200, { 'content-type': contentType });
          response.end(body);
        },
        (error: Error) => send(503, { error: { code: 'metrics_unavailable', message: error.message } }),
      );
      return;
    }
    if (request.url === '/health/ready') {
      void readSide.lag().then(
        (lag) => send(lag.every((l) => l.state !== 'failed') ? 200 : 503, { status: 'ready', readModels: lag, deliveringWebhooks: webhooks.delivering }),
        (error: Error) => send(503, { status: 'unavailable', error: error.message }),
      );
      return;
    }
    send(404, { error: { code: 'not_found', message: 'No such resource' } });
  };
}

runService(main);
