import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './error-body';

/** The statuses a route may refuse with (SPEC §2), each answered with the error body. */
type RefusalStatus = 400 | 401 | 403 | 404 | 408 | 409 | 410 | 413 | 415 | 429 | 431 | 503;

/** What a route says about each status it can refuse with: the codes and when (the description). */
export type Refusals = Partial<Record<RefusalStatus, string>>;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before asking again', schema: { type: 'integer', minimum: 1 } } };

/** Headers that come with a status whatever the route: the challenge of a 401, the wait of a 429 or 503. */
const HEADERS_OF: Partial<Record<RefusalStatus, Record<string, { description: string; schema: object }>>> = {
  401: {
    'WWW-Authenticate': { description: '`Bearer`, or `Bearer error="invalid_token"` when the token given was refused (RFC 6750)', schema: { type: 'string' } },
  },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/**
 * The statuses a route can refuse with, each documented with the error body. The platform's
 * decorators declare what they imply (@Authorize: 401 and 403; @ReadYourWrites: 400, and 503 for a
 * query by id; the route's body, query and path: 400, 413, 415 and 404) and a route declares what
 * its handler decides (409, 410, 429…). A status declared twice keeps both descriptions.
 */
export const ApiRefusals = (refusals: Refusals) =>
  applyDecorators(
    ...Object.entries(refusals).map(([status, description]) => {
      const headers = HEADERS_OF[Number(status) as RefusalStatus];
      return ApiResponse({ status: Number(status), description, type: ErrorBody, ...(headers ? { headers } : {}) });
    }),
  );

export const NO_STORE_REFUSAL = 'csp:no-store-refusal';

/**
 * Marks a controller or route that never refuses with 503 `store_unavailable`: its answer needs no
 * store (reference data, a computation), it waits for the store rather than refuse (the event
 * stream opens and follows the store once it is back), or it reports the store's state in its own
 * answer (the readiness probe, the metrics scrape). The document does not say it can.
 */
export const NoStoreRefusal = () => SetMetadata(NO_STORE_REFUSAL, true);

export const CONFLICT_FREE = 'csp:conflict-free';

/**
 * Marks a command that can never lose a race on its stream: it starts a new stream (a fresh id) or
 * appends without an expected revision. It cannot be refused with 409 `concurrent_change`, so the
 * document does not say it can.
 */
export const ConflictFree = () => SetMetadata(CONFLICT_FREE, true);
