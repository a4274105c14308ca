import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '@csp/config';
import {
  AuditQueryError,
  checkReport,
  exportKeyAccessReport,
  JsonLogger,
  normaliseQuery,
  REPORT_FORMATS,
  verifyKeyAccess,
  type AuditQuery,
  type Difference,
  type ReportFormat,
} from '@csp/application';
import { formatPosition, type EventStore, type Position } from '@csp/event-store';
import { openActivityLogReadModel, openConfiguredEventStore } from '@csp/runtime';
import { progressReporter } from '../progress';

const USAGE = `Usage:
  npm run audit -- replay (--partner <tenant id> | --customer <customer id> | --user <sub> | --order <order id>)...
                          --from <ISO-8601> --to <ISO-8601> [--format table|csv|jsonl] [--out <file>]
  npm run audit -- verify (scope as above) --from <ISO-8601> --to <ISO-8601> [--format table|jsonl] [--out <file>]
  npm run audit -- check-report <file> [--against-store]

replay        the key-access history (key reveals, download links issued, downloads) straight from
              the event store, in global order, with a SHA-256 digest chain over the entries
verify        replays and compares with the activity-log read model; exits 1 on any difference
check-report  recomputes a CSV or JSONL report's chain: exits 0 if intact, 1 if edited;
              --against-store also replays the report's query and compares the final digests

Scopes combine with AND. --from and --to are inclusive, UTC: --to 2026-03-31 includes that whole day.
The event store is the configured one: \${DATA_DIR:-./data}/events.sqlite, or EVENTSTORE_URL.
verify reads the read model from REDIS_URL when set, else projects it here as the embedded API does.
Exit codes: 0 ok, 1 differences found / report edited, 2 usage or configuration error, 3 failure.`;

class UsageError extends Error {}

interface Options {
  readonly command: string;
  readonly positional: string[];
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

const VALUE_OPTIONS = new Set(['--partner', '--customer', '--user', '--order', '--from', '--to', '--format', '--out', '--wait-ms']);
const FLAG_OPTIONS = new Set(['--against-store', '--help']);

function parseArgs(argv: readonly string[]): Options {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') throw new UsageError('');
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [name, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (values.has(name)) throw new UsageError(`${name} is given twice`);
      values.set(name, value);
    } else if (FLAG_OPTIONS.has(name)) {
      flags.add(name);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`Unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (flags.has('--help')) throw new UsageError('');
  return { command, positional, values, flags };
}

function queryOf(options: Options): AuditQuery {
  return normaliseQuery({
    partnerTenantId: options.values.get('--partner'),
    customerId: options.values.get('--customer'),
    user: options.values.get('--user'),
    orderId: options.values.get('--order'),
    from: options.values.get('--from') ?? '',
    to: options.values.get('--to') ?? '',
  });
}

function formatOf(options: Options, allowed: readonly ReportFormat[]): ReportFormat {
  const format = (options.values.get('--format') ?? 'table') as ReportFormat;
  if (!allowed.includes(format)) throw new UsageError(`--format must be ${allowed.join(', ')}`);
  return format;
}

/** stdout, or a file written beside its final name and renamed into place once complete. */
function openOutput(file: string | undefined) {
  const target = file ? createWriteStream(`${file}.partial`) : process.stdout;
  return {
    async write(text: string): Promise<void> {
      if (!target.write(text)) await once(target as Writable, 'drain');
    },
    async close(ok: boolean): Promise<void> {
      if (!file) return;
      target.end();
      await once(target as Writable, 'close');
      if (ok) renameSync(`${file}.partial`, file);
      else rmSync(`${file}.partial`, { force: true });
    },
  };
}

async function openStore(config: AppConfig): Promise<EventStore> {
  if (!config.eventStoreUrl && !existsSync(join(config.dataDir, 'events.sqlite'))) {
    throw new UsageError(`No event store at ${join(config.dataDir, 'events.sqlite')}: set DATA_DIR (or EVENTSTORE_URL)`);
  }
  return openConfiguredEventStore(config, new JsonLogger('warn', { service: 'audit' }));
}

/** Progress on stderr, in events of the log (SQLite positions count events) when the total is known. */
function replayProgress(label: string, config: AppConfig, head: Position) {
  const total = !config.eventStoreUrl && head.commit > 0n ? Number(head.commit) : undefined;
  const bar = progressReporter(label, total);
  const started = Date.now();
  return {
    update: (p: { scanned: number; position: Position }) => {
      const done = total !== undefined ? Number(p.position.commit) : p.scanned;
      bar.update(done, done / Math.max((Date.now() - started) / 1000, 1e-3));
    },
    done: (message: string) => bar.done(message),
  };
}

async function replay(options: Options): Promise<number> {
  const query = queryOf(options);
  const format = formatOf(options, REPORT_FORMATS);
  const config = loadConfig();
  const store = await openStore(config);
  const out = openOutput(options.values.get('--out'));
  let ok = false;
  try {
    const head = await store.headPosition();
    const progress = replayProgress('audit replay', config, head);
    const result = await exportKeyAccessReport(store, query, format, (text) => out.write(text), { until: head, onProgress: progress.update });
    ok = true;
    progress.done(`audit replay: ${result.entries} entries up to position ${formatPosition(result.head)}; final digest ${result.finalDigest}`);
    return 0;
  } finally {
    await out.close(ok);
    await store.close();
  }
}

function differenceLine(difference: Difference, format: 'table' | 'jsonl'): string {
  if (format === 'jsonl') return `${JSON.stringify(difference)}\n`;
  switch (difference.kind) {
    case 'missing-in-read-model':
      return `missing-in-read-model  ${difference.entryId}  ${difference.replay.kind} at ${difference.replay.at} position ${difference.replay.position}\n`;
    case 'extra-in-read-model':
      return `extra-in-read-model    ${difference.entryId}  ${difference.readModel.kind} at ${difference.readModel.at} position ${difference.readModel.position}\n`;
    default:
      return `field-mismatch         ${difference.entryId}  ${difference.fields.map((f) => `${f.field}: event store ${JSON.stringify(f.replay)}, read model ${JSON.stringify(f.readModel)}`).join('; ')}\n`;
  }
}

async function verify(options: Options): Promise<number> {
  const query = queryOf(options);
  const format = formatOf(options, ['table', 'jsonl']) as 'table' | 'jsonl';
  const waitMs = Number(options.values.get('--wait-ms') ?? 10_000);
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new UsageError('--wait-ms must be a number of milliseconds');
  const config = loadConfig();
  const store = await openStore(config);
  const out = openOutput(options.values.get('--out'));
  let ok = false;
  try {
    const head = await store.headPosition();
    const building = progressReporter(config.redisUrl ? 'audit verify: waiting for the Redis read model' : 'audit verify: projecting the activity log', !config.eventStoreUrl && head.commit > 0n ? Number(head.commit) : undefined);
    const readModel = await openActivityLogReadModel(config, store, head, { waitMs, onProgress: (p) => building.update(p.events, p.eventsPerSecond) });
    building.done(
      readModel.source === 'memory'
        ? 'audit verify: activity log projected from the event store into memory (as the embedded API does)'
        : `audit verify: Redis read model at position ${readModel.checkpoint ?? 'none'}${readModel.caughtUp ? '' : ` — BEHIND the event store head ${formatPosition(head)}: later accesses will show as missing`}`,
    );
    try {
      const progress = replayProgress('audit verify: replay', config, head);
      const result = await verifyKeyAccess({ eventStore: store, readModels: readModel.readModels, query, replay: { until: head, onProgress: progress.update } });
      progress.done(`audit verify: ${result.replayed} entries replayed, ${result.inReadModel} in the read model`);
      for (const difference of result.differences) await out.write(differenceLine(difference, format));
      const summary = { replayed: result.replayed, inReadModel: result.inReadModel, head: result.head, differences: result.differences.length, readModel: readModel.source };
      await out.write(format === 'jsonl' ? `${JSON.stringify({ summary })}\n` : `${result.differences.length === 0 ? 'OK' : 'DIFFERENCES'}: ${result.differences.length} difference(s); ${result.replayed} entries in the event store, ${result.inReadModel} in the read model (${readModel.source}), up to position ${result.head}\n`);
      ok = true;
      return result.differences.length === 0 ? 0 : 1;
    } finally {
      await readModel.close();
    }
  } finally {
    await out.close(ok);
    await store.close();
  }
}

async function checkReportCommand(options: Options): Promise<number> {
  const [file, ...extra] = options.positional;
  if (!file || extra.length > 0) throw new UsageError('check-report takes one file');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const check = checkReport(text);
  if (!check.intact) {
    for (const problem of check.problems) process.stdout.write(`EDITED: ${file} line ${problem.line}: ${problem.message}\n`);
    return 1;
  }
  process.stdout.write(`INTACT: ${file}: ${check.entries} entries, chain verified; final digest ${check.finalDigest}\n`);
  if (options.flags.has('--against-store')) {
    const config = loadConfig();
    const store = await openStore(config);
    try {
      const replayed = await exportKeyAccessReport(store, check.header!.query, 'jsonl', () => undefined);
      if (replayed.finalDigest !== check.finalDigest) {
        process.stdout.write(`DIFFERS FROM THE STORE: replaying the report's query now gives ${replayed.entries} entries and final digest ${replayed.finalDigest}\n`);
        return 1;
      }
      process.stdout.write(`MATCHES THE STORE: replaying the report's query now gives the same ${replayed.entries} entries and final digest\n`);
    } finally {
      await store.close();
    }
  }
  return 0;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  switch (options.command) {
    case 'replay':
      return replay(options);
    case 'verify':
      return verify(options);
    case 'check-report':
      return checkReportCommand(options);
    default:
      throw new UsageError(`Unknown command ${options.command}`);
  }
}

// A reader that stops early (`| head`) is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof AuditQueryError) {
      process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`audit failed: ${(error as Error).message}\n`);
      process.exitCode = 3;
    }
  },
);
