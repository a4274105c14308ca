import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's path, without its query: what express calls `request.path`, for a plain request. */
export const pathOf = (request: IncomingMessage): string => (request.url ?? '/').split('?')[0]!;

/**
 * The ids and headers every response carries, whoever answers it: the application, or the early
 * listener before the application is loaded. Correlation ids flow in from callers
 * (X-Correlation-Id) or start here.
 */
export function stampResponse(request: IncomingMessage, response: ServerResponse): { correlationId: string; requestId: string } {
  const incoming = request.headers['x-correlation-id'];
  const correlationId = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
  const requestId = randomUUID();
  response.setHeader('X-Correlation-Id', correlationId);
  response.setHeader('X-Request-Id', requestId);
  // Security headers for a JSON API: nothing here is meant to be framed, sniffed or cached.
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cache-Control', 'no-store');
  // The API serves JSON, which needs nothing; the /docs page loads its own scripts and styles.
  const path = pathOf(request);
  const docs = path === '/docs' || path.startsWith('/docs/');
  response.setHeader(
    'Content-Security-Policy',
    docs ? "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'" : "default-src 'none'; frame-ancestors 'none'",
  );
  return { correlationId, requestId };
}

/** Every request gets its ids, and every response echoes them (see stampResponse). */
export function requestContext(request: Request, response: Response, next: NextFunction): void {
  Object.assign(request, stampResponse(request, response));
  response.removeHeader('X-Powered-By');
  next();
}
