import { context } from '@opentelemetry/api';
import express, { type NextFunction, type Request, type Response } from 'express';
import { errorBody } from './error-body';

/**
 * Strict JSON bodies up to the SPEC's 1 MiB. Parser failures are answered here, in the API's
 * error shape, before they can reach a handler: 413 for size, 400 for anything unreadable.
 */
export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (request: Request, response: Response, next: NextFunction) => {
    const parsed = (error?: unknown) => {
      if (!error) {
        const problem = hostileShape(request.body);
        if (problem) {
          response.status(400).json(errorBody('invalid_body', problem.message, { field: problem.field }));
          return;
        }
        return next();
      }
      const { type, status } = error as { type?: string; status?: number };
      if (type === 'entity.too.large') {
        response.status(413).json(errorBody('payload_too_large', `The request body exceeds ${limitBytes} bytes`));
      } else if (type === 'entity.parse.failed') {
        response.status(400).json(errorBody('malformed_json', 'The request body is not valid JSON'));
      } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
        response.status(415).json(errorBody('unsupported_encoding', 'The request body must be UTF-8 JSON'));
      } else {
        response.status(status && status >= 400 && status < 500 ? status : 400).json(errorBody('unreadable_body', 'The request body could not be read'));
      }
    };
    // The parser calls back from the socket's 'end': bound, the route runs in the request's trace context.
    parse(request, response, context.bind(context.active(), parsed));
  };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/**
 * Bodies the product never needs and that only an attacker sends: prototype-polluting keys and
 * absurd nesting (which would also cost the validators dearly).
 */
function hostileShape(body: unknown): { field: string; message: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return { field: path || 'body', message: `The body is nested deeper than ${MAX_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const field = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return { field, message: `The field name "${key}" is not allowed` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
