import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { observeCommands } from '@csp/application';
import { tracingEnabled } from '@csp/observability';
import type { Runtime } from '@csp/runtime';
import { ApiModule } from './app.module';
import {
  accessLog,
  applyHttpLimits,
  httpMetrics,
  httpTracing,
  jsonBody,
  ListeningExpressAdapter,
  requestContext,
  serveOpenApi,
  strictValidationPipe,
} from '@csp/http';
import type { EarlyListener } from '@csp/http/early-listener';

/**
 * Builds the HTTP app over a runtime: on its own server, not yet listening, or on the early
 * listener's, which its `listen` then takes over.
 */
export async function createApi(runtime: Runtime, early?: EarlyListener): Promise<NestExpressApplication> {
  const options = { bodyParser: false, logger: runtime.logger, abortOnError: false };
  const module = ApiModule.over(runtime);
  const app = early
    ? await NestFactory.create<NestExpressApplication>(module, new ListeningExpressAdapter(early), options)
    : await NestFactory.create<NestExpressApplication>(module, options);
  // The early listener applied them before it listened (Node reads one of them then).
  if (!early) applyHttpLimits(app.getHttpServer(), runtime.config.http, runtime.logger);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // First, so that every later middleware, the route and its log lines run inside the request's span.
  if (tracingEnabled()) app.use(httpTracing);
  if (runtime.metrics) app.use(httpMetrics(runtime.metrics));
  app.use(requestContext);
  app.use(accessLog(runtime.logger));
  app.use(jsonBody(runtime.config.bodyLimitBytes));
  app.useGlobalPipes(strictValidationPipe());
  serveOpenApi(app);
  observeCommands(app.get(CommandBus), runtime.metrics);
  return app;
}
