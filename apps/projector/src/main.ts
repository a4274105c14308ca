import { tracing } from './tracing';
import { createServer } from 'node:http';
import { loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application/logging';
import type { ProjectorRuntime } from '@csp/runtime';
import { runService, stopOnSignal } from '@csp/runtime/service-process';

/**
 * The projections as their own process, for installs that scale the API out: reads the event
 * store from the read models' checkpoints and writes them to Redis, and delivers the webhooks
 * (APIs that do not project do not). Several instances are safe: only the holder of a read
 * model's lease applies events to it, and only the holder of the webhook lease delivers.
 *
 * Its health server listens first, as the API's does: liveness is answered while the runtime
 * loads and opens its stores; readiness and metrics answer 503 until then.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel, { service: 'projector' });
  // Set once the runtime is up; the health server answers before.
  const loaded: { runtime?: ProjectorRuntime } = {};

  const health = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/health/live') return send(200, { status: 'ok' });
    if (!loaded.runtime && (request.url === '/health/ready' || request.url === '/metrics'))
      return send(503, { status: 'unavailable', error: 'The projector is still starting' });
    const { readSide, webhooks, metrics } = loaded.runtime ?? {};
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
    if (request.url === '/health/ready' && readSide && webhooks) {
      void readSide.lag().then(
        (lag) => send(lag.every((l) => l.state !== 'failed') ? 200 : 503, { status: 'ready', readModels: lag, deliveringWebhooks: webhooks.delivering }),
        (error: Error) => send(503, { status: 'unavailable', error: error.message }),
      );
      return;
    }
    send(404, { error: { code: 'not_found', message: 'No such resource' } });
  });
  await new Promise<void>((resolve, reject) => {
    health.once('error', reject);
    health.listen(config.projectorPort, resolve);
  });
  logger.info(`Projector health on port ${config.projectorPort}`, { port: config.projectorPort });

  const { createProjectorRuntime } = await import('@csp/runtime');
  const started = await createProjectorRuntime(config, logger);
  loaded.runtime = started;

  stopOnSignal(
    logger,
    async () => {
      health.close();
      await started.close();
    },
    tracing,
  );
}

runService(main);
