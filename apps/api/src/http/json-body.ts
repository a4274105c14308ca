import express, { type NextFunction, type Request, type Response } from 'express';
import { errorBody } from './error-body';

/**
 * Strict JSON bodies up to the SPEC's 1 MiB. Parser failures are answered here, in the API's
 * error shape, before they can reach a handler: 413 for size, 400 for anything unreadable.
 */
export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (request: Request, response: Response, next: NextFunction) => {
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
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
    });
  };
}
