import { tracing } from './tracing';
import 'reflect-metadata';
import { createServer } from 'node:http';
import { loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application';
import { createProjectorRuntime, runService, stopOnSignal } from '@csp/runtime';

/**
 * The projections as their own process, for installs that scale the API out: reads the event
 * store from the read models' checkpoints and writes them to Redis, and delivers the webhooks
 * (APIs that do not project do not). Several instances are safe: only the holder of a read
 * model's lease applies events to it, and only the holder of the webhook lease delivers.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel, { service: 'projector' });
  const { readSide, webhooks, metrics, close } = await createProjectorRuntime(config, logger);

  const health = createServer((request, response) => {
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
  });
  health.listen(config.projectorPort, () => logger.info(`Projector health on port ${config.projectorPort}`, { port: config.projectorPort }));

  stopOnSignal(
    logger,
    async () => {
      health.close();
      await close();
    },
    tracing,
  );
}

runService(main);
