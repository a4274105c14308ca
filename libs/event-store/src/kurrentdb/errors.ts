import { EventStoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from '../port';

/**
 * The client's errors carry a `type` (its ErrorType enum, e.g. 'wrong-expected-version'); the
 * adapter reads that rather than `instanceof`, so it does not need to load the client to check.
 */
const kurrentErrorType = (error: unknown): string | undefined => {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
};

/** Errors after which nothing is known to be written and a retry may succeed: another node, a reconnect, later. */
const TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'cancelled', 'not-leader']);

export const isStreamNotFound = (error: unknown) => kurrentErrorType(error) === 'stream-not-found';

export const isPersistentSubscriptionExists = (error: unknown) => kurrentErrorType(error) === 'persistent-subscription-exists';

/** The client's error in the port's words: a revision conflict, an unavailable store, or itself. */
export function toPortError(error: unknown, streamId: string, expected: ExpectedRevision): Error {
  const type = kurrentErrorType(error);
  if (type === 'wrong-expected-version') {
    const actual = (error as { actualState?: unknown }).actualState;
    return new WrongExpectedRevisionError(streamId, expected, typeof actual === 'bigint' ? actual : 'no_stream');
  }
  if (type !== undefined && TRANSIENT.has(type)) {
    return new EventStoreUnavailableError(`KurrentDB is unavailable (${type}): ${(error as Error).message}`, error);
  }
  return error instanceof Error ? error : new Error(String(error));
}
