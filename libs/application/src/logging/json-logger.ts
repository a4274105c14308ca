import type { LoggerService } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import type { Logger } from '@csp/config';

type Level = 'debug' | 'info' | 'warn' | 'error';
const NEST_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);
const RANK: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Structured JSON lines on stdout/stderr. Callers pass fields, never secrets: tokens, product keys,
 * link tokens and contact details are not logged anywhere (a test greps an e2e run's logs for them).
 * The product's Logger (the port in libs/config), and Nest's logger too.
 */
export class JsonLogger implements Logger, LoggerService {
  constructor(
    private readonly level: Level | 'silent' = 'info',
    private readonly base: Record<string, unknown> = {},
  ) {}

  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger(this.level, { ...this.base, ...fields });
  }

  debug(message: unknown, fields?: unknown): void {
    this.write('debug', message, fields);
  }
  info(message: unknown, fields?: unknown): void {
    this.write('info', message, fields);
  }
  log(message: unknown, fields?: unknown): void {
    // Nest's start-up chatter (modules loaded, routes mapped) is debug detail, not operations news.
    this.write(typeof fields === 'string' && NEST_CHATTER.has(fields) ? 'debug' : 'info', message, fields);
  }
  warn(message: unknown, fields?: unknown): void {
    this.write('warn', message, fields);
  }
  error(message: unknown, fields?: unknown): void {
    this.write('error', message, fields);
  }
  verbose(message: unknown, fields?: unknown): void {
    this.write('debug', message, fields);
  }

  private write(level: Level, message: unknown, fields: unknown): void {
    if (RANK[level] < RANK[this.level]) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, ...this.base };
    // Inside a traced request or batch: the ids that find its trace (nothing while tracing is off).
    const span = trace.getSpanContext(context.active());
    if (span) {
      entry.trace_id = span.traceId;
      entry.span_id = span.spanId;
    }
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.err = { name: message.name, message: message.message, stack: message.stack };
    } else {
      entry.msg = typeof message === 'string' ? message : JSON.stringify(message);
    }
    // Nest passes its logging context as a trailing string.
    if (typeof fields === 'string') entry.context = fields;
    else if (fields && typeof fields === 'object') Object.assign(entry, fields);
    const line = `${stringify(entry)}\n`;
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
  }
}

/** Without a replacer first: it makes JSON.stringify several times slower, and only a BigInt needs it. */
function stringify(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry);
  } catch {
    return JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  }
}
