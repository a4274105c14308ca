/**
 * Logging is a port, like the clock: the libraries log through it and the composition root hands
 * them its JsonLogger (libs/application/src/logging), which implements it. The domain logs
 * nothing. Fields are structured data, never secrets (tokens, product keys, link tokens, contact
 * details).
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
