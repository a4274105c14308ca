import { EventStoreUnavailableError } from '../port';

/** What node-postgres errors carry: the server's SQLSTATE, or a Node socket error code. */
interface PgLikeError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

const codeOf = (error: unknown): string | undefined => {
  const code = (error as PgLikeError | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A unique violation on one of the store's constraints (`events_event_id`, `streams_pkey`…). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return codeOf(error) === '23505' && (error as PgLikeError).constraint === constraint;
}

/**
 * SQLSTATE classes and codes after which the server was not there, or went away, and a later try
 * may succeed: connection exceptions (08), insufficient resources (53: too many connections, disk
 * full), operator intervention (57: terminated backend, shutdown, starting up), system errors (58),
 * and a transaction the server chose to cancel for a serialization failure or deadlock (40).
 */
const TRANSIENT_CLASSES = new Set(['08', '53', '57', '58', '40']);
/** Socket-level failures node-postgres passes on from Node. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** node-postgres's own errors for a connection that ended, timed out or was closed under it (they carry no code). */
const CLIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection ended|Query read timeout/i;

/** Whether the error says the server could not be reached or dropped the connection. */
export function isUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2));
  if (code !== undefined && SOCKET_CODES.has(code)) return true;
  return CLIENT_MESSAGES.test(messageOf(error));
}

/** The error in the port's words when the server is away; otherwise itself. */
export function toPortError(error: unknown, doing: string): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  if (isUnavailable(error)) return new EventStoreUnavailableError(`PostgreSQL is unavailable (${doing}): ${messageOf(error)}`, error);
  return error;
}
