import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '@csp/observability';

/** The route label of a request no route matched: a fixed value, never the path (it may hold a link token). */
const UNMATCHED_ROUTE = 'unmatched';

/** The route pattern Express matched (e.g. /v1/orders/:orderId/keys), never the URL. */
export const routeOf = (request: Request): string => (request.route as { path?: string } | undefined)?.path ?? UNMATCHED_ROUTE;

/** csp_http_request_duration_seconds for every answered request, by method, route pattern and status. */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequestDuration.observe({ method: request.method, route: routeOf(request), status: String(response.statusCode) }, seconds);
    });
    next();
  };
}
