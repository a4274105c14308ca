import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Correlation ids flow in from callers (X-Correlation-Id) or start here; every response echoes it. */
export function requestContext(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.header('x-correlation-id');
  const correlationId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
  const requestId = randomUUID();
  Object.assign(request, { correlationId, requestId });
  response.setHeader('X-Correlation-Id', correlationId);
  response.setHeader('X-Request-Id', requestId);
  // Security headers for a JSON API: nothing here is meant to be framed, sniffed or cached.
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cache-Control', 'no-store');
  // The API serves JSON, which needs nothing; the /docs page loads its own scripts and styles.
  const docs = request.path === '/docs' || request.path.startsWith('/docs/');
  response.setHeader(
    'Content-Security-Policy',
    docs ? "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'" : "default-src 'none'; frame-ancestors 'none'",
  );
  response.removeHeader('X-Powered-By');
  next();
}
