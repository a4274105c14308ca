import { context } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { JsonLogger } from '@csp/application';
import type { AuthenticatedRequest } from './auth';

/**
 * One structured line per request: the route pattern (never the URL, which may carry a link
 * token), status, duration, correlation id and who called. Nothing from bodies or headers.
 */
export function accessLog(logger: JsonLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const line = () => {
      const req = request as AuthenticatedRequest;
      logger.info('request', {
        method: req.method,
        route: req.route?.path ?? '(unmatched)',
        status: response.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        correlationId: req.correlationId,
        ...(req.actor ? { sub: req.actor.sub, tid: req.actor.tid } : {}),
      });
    };
    // 'finish' comes from the socket: bound, the line carries the request's trace and span ids.
    response.on('finish', context.bind(context.active(), line));
    next();
  };
}
