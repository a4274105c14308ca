import { DomainError } from '@csp/domain';
import type { Freshness } from './freshness';

/**
 * A query by id whose read model had not reached the position it waited for: the read model cannot
 * know that the thing does not exist (it may be in the events not yet applied), so the answer is
 * 503 `read_model_behind` with Retry-After, not 404 (SPEC §2).
 */
export class ReadModelBehindError extends Error {
  readonly retryAfterSeconds = 1;

  constructor(readonly freshness: Freshness) {
    super(`The read models have not yet reached position ${freshness.position}; retry shortly`);
    this.name = 'ReadModelBehindError';
  }
}

/**
 * The rule for answers by id: a "not found" from a read model that is behind becomes
 * ReadModelBehindError; a found answer is served even when stale (the freshness headers say so),
 * and every other refusal stays what it is.
 */
export async function answerById<T>(freshness: Freshness, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (!freshness.reached && error instanceof DomainError && error.kind === 'not-found') throw new ReadModelBehindError(freshness);
    throw error;
  }
}
