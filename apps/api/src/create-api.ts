import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { observeCommands } from '@csp/application';
import { tracingEnabled } from '@csp/observability';
import type { Runtime } from '@csp/runtime';
import { ApiModule } from './app.module';
import { accessLog, applyHttpLimits, httpMetrics, httpTracing, jsonBody, requestContext, serveOpenApi, strictValidationPipe } from '@csp/http';

/** Builds the HTTP app (not yet listening) over a runtime. */
export async function createApi(runtime: Runtime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.over(runtime), {
    bodyParser: false,
    logger: runtime.logger,
    abortOnError: false,
  });
  applyHttpLimits(app.getHttpServer(), runtime.config.http, runtime.logger);
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
