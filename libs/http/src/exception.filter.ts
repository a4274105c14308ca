import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type RefusalKind } from '@csp/domain';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@csp/event-store';
import { KeyMaterialDestroyedError, KeyringUnavailableError, RateLimiterUnavailableError, UnauthenticatedError } from '@csp/security';
import { ReadModelStoreUnavailableError } from '@csp/projections';
import { ReadModelBehindError, ThrottledError, type JsonLogger } from '@csp/application';
import { bearerChallenge } from './auth';
import { errorBody, type ErrorBody } from './error-body';

/** A store that cannot be reached is usually back within seconds (a restart, a failover). */
const STORE_RETRY_AFTER_SECONDS = 5;

const STATUS_OF: Record<RefusalKind, number> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409, gone: 410 };

/**
 * Every failure leaves as `{ error: { code, message, details? } }` with the SPEC's status; nothing
 * unexpected leaks a stack trace, and every 5xx is logged with the request's correlation id.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { correlationId?: string }>();
    const response = http.getResponse<Response>();
    const [status, body] = this.translate(exception);
    if (status >= 500) {
      this.logger.error(exception instanceof Error ? exception : String(exception), {
        correlationId: request.correlationId,
        method: request.method,
        route: request.route?.path,
        status,
      });
    }
    if (response.headersSent) return;
    if (exception instanceof ThrottledError || exception instanceof ReadModelBehindError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    else if (status === 503) response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
    if (status === 401) response.setHeader('WWW-Authenticate', bearerChallenge(request.headers.authorization));
    response.status(status).json(body);
  }

  private translate(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      return [STATUS_OF[exception.kind], errorBody(exception.code, exception.message, exception.details)];
    }
    if (exception instanceof UnauthenticatedError) return [401, errorBody('unauthenticated', exception.message)];
    if (exception instanceof KeyMaterialDestroyedError) return [410, errorBody('key_material_destroyed', exception.message)];
    if (exception instanceof ThrottledError) {
      return [429, errorBody('rate_limited', exception.message, { scope: exception.scope, retryAfterSeconds: exception.retryAfterSeconds })];
    }
    if (exception instanceof ReadModelBehindError) {
      return [
        503,
        errorBody('read_model_behind', exception.message, { position: exception.freshness.position, retryAfterSeconds: exception.retryAfterSeconds }),
      ];
    }
    if (exception instanceof WrongExpectedRevisionError) {
      return [409, errorBody('concurrent_change', 'The resource was changed concurrently; retry the request')];
    }
    if (exception instanceof EventStoreUnavailableError) {
      return [503, errorBody('store_unavailable', 'The event store is unavailable; nothing was recorded. Retry later.')];
    }
    // One code for whichever store an answer needs: a client does the same (retry later) for either.
    if (exception instanceof ReadModelStoreUnavailableError || exception instanceof RateLimiterUnavailableError) {
      return [503, errorBody('store_unavailable', 'The read-model store is unavailable; nothing was recorded. Retry later.')];
    }
    if (exception instanceof KeyringUnavailableError) return [503, errorBody('store_unavailable', 'The keyring is unavailable; retry later.')];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'error' in response && typeof (response as ErrorBody).error === 'object') {
        return [status, response as ErrorBody];
      }
      return [status, errorBody(codeForStatus(status), exception.message)];
    }
    return [500, errorBody('internal_error', 'An unexpected error occurred; it has been logged')];
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 410:
      return 'gone';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'too_many_requests';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}
