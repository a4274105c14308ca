/**
 * Why a command or query was refused. The kind maps one-to-one to an HTTP status at the edge
 * (invalid 400, forbidden 403, not-found 404, conflict 409, gone 410); the code is stable and
 * machine-readable; the message is for people.
 */
export type RefusalKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'gone';

export class DomainError extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('invalid', code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('conflict', code, message, details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('not-found', code, message, details);
export const gone = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('gone', code, message, details);
