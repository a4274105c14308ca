import { once } from 'node:events';
import { readFileSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from '@csp/config';
import { JsonLogger } from '@csp/application';
import { AuditQueryError, parseAuditQuery, type AuditQuery } from '@csp/audit';
import { checkReport, exportKeyAccessReport, printable, REPORT_FORMATS, verifyKeyAccess, type Difference, type ReportFormat } from '@csp/audit/history';
import { formatPosition, NotAnEventStoreError, type EventStore, type Position } from '@csp/event-store';
import { openActivityLogReadModel, openConfiguredEventStore } from '@csp/runtime';
import { readCommandLine, runSubcommand, UsageError, usageExit } from '../args';
import { besideTarget, outputTarget, statOf, temporary } from '../output-file';
import { ProgressBar } from '../progress';

const USAGE = `Usage:
  npm run audit -- replay (--partner <tenant id> | --customer <customer id> | --user <sub> | --order <order id>)...
                          --from <date|instant> --to <date|instant> [--format table|csv|jsonl] [--out <file>]
  npm run audit -- verify (scope as above) --from <date|instant> --to <date|instant> [--format table|jsonl] [--out <file>] [--wait-ms <ms>]
  npm run audit -- check-report <file> [--against-store]
  npm run audit -- --help

replay        the key-access history (key reveals, download links issued, downloads) straight from
              the event store, in global order, with a SHA-256 digest chain over the entries
verify        replays and compares with the activity-log read model; exits 1 on any difference
check-report  recomputes a CSV or JSONL report's chain: exits 0 if intact, 1 if edited;
              --against-store also replays the report's query and compares the final digests

Scopes combine with AND. Tenant, customer and order ids are UUIDs, in either case (as in the API).
--from and --to are inclusive, UTC, read as the API reads them: an ISO-8601 date (2026-03-31) or
date-time (2026-03-31T12:00:00Z, with an offset or Z; without one it is UTC); a real calendar date;
--to 2026-03-31 includes that whole day.
--out writes the report to a temporary file beside <file> and renames it into place once complete:
on any failure (or Ctrl-C) nothing is left; the folder must exist and <file> must not be a folder.
The event store is the configured one, opened read-only (never created or migrated):
\${DATA_DIR:-./data}/events.sqlite, or EVENTSTORE_URL.
verify reads the read model from REDIS_URL when set, else projects it here as the embedded API does.
Exit codes: 0 ok, 1 differences found / report edited, 2 usage or configuration error, 3 failure.`;

const SCOPE_OPTIONS = {
  partner: { type: 'string' },
  customer: { type: 'string' },
  user: { type: 'string' },
  order: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;
const REPLAY_OPTIONS = { ...SCOPE_OPTIONS, format: { type: 'string' }, out: { type: 'string' } } as const;
const VERIFY_OPTIONS = { ...REPLAY_OPTIONS, 'wait-ms': { type: 'string' } } as const;
const CHECK_REPORT_OPTIONS = { 'against-store': { type: 'boolean' } } as const;

type ScopeValues = { readonly [K in keyof typeof SCOPE_OPTIONS]?: string };

function queryOf(values: ScopeValues): AuditQuery {
  return parseAuditQuery({
    partnerTenantId: values.partner,
    customerId: values.customer,
    user: values.user,
    orderId: values.order,
    from: values.from ?? '',
    to: values.to ?? '',
  });
}

function formatOf<F extends ReportFormat>(value: string | undefined, allowed: readonly F[]): F {
  const format = (value ?? 'table') as F;
  if (!allowed.includes(format)) throw new UsageError(`--format must be ${allowed.join(', ')}`);
  return format;
}

interface Output {
  write(text: string): Promise<void>;
  /** The report is complete: make it the file's content. */
  commit(): Promise<void>;
  /** The run failed: leave nothing behind. */
  discard(): Promise<void>;
}

const stdoutOutput: Output = {
  async write(text) {
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  },
  commit: async () => undefined,
  discard: async () => undefined,
};

/**
 * stdout, or --out: a temporary file created beside the target before any work (so an unwritable
 * folder is refused before the replay), renamed over it once the report is complete and synced (the
 * same folder, so the rename is atomic: a reader of the target never sees half a report), and
 * removed on any failure, at exit and on SIGINT/SIGTERM/SIGHUP.
 */
async function openOutput(file: string | undefined, dataDir: string): Promise<Output> {
  if (file === undefined) return stdoutOutput;
  const target = outputTarget(file, dataDir, { option: '--out', what: 'report' });
  const partial = temporary(besideTarget(target, 'partial'));
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // A report names who touched which key: an existing one keeps its mode, a new one is 0600.
    handle = await open(partial.path, 'wx', (statOf(target)?.mode ?? 0o600) & 0o777);
  } catch (error) {
    partial.forget();
    throw new UsageError(`--out ${file}: cannot write in ${dirname(target)}: ${(error as Error).message}`, false);
  }
  return {
    async write(text) {
      const bytes = Buffer.from(text, 'utf8');
      for (let offset = 0; offset < bytes.length;) offset += (await handle.write(bytes, offset)).bytesWritten;
    },
    async commit() {
      await handle.sync();
      await handle.close();
      renameSync(partial.path, target);
      partial.forget();
    },
    async discard() {
      await handle.close().catch(() => undefined);
      partial.remove();
    },
  };
}

/** Runs `work` with the output, committing it when `work` succeeds and discarding it otherwise. */
async function writingTo<T>(file: string | undefined, dataDir: string, work: (out: Output) => Promise<T>): Promise<T> {
  const out = await openOutput(file, dataDir);
  let result: T;
  try {
    result = await work(out);
    await out.commit();
  } catch (error) {
    await out.discard();
    throw error;
  }
  return result;
}

/**
 * The configured store, read-only: a replay must not create, migrate or write the file it is
 * pointed at. A file that is not an event store is the operator's mistake (exit 2), not a failure.
 */
async function openStore(config: AppConfig): Promise<EventStore> {
  try {
    return await openConfiguredEventStore(config, new JsonLogger('warn', { service: 'audit' }), { readOnly: true });
  } catch (error) {
    if (error instanceof NotAnEventStoreError)
      throw new UsageError(`${error.message} (set DATA_DIR to the service's data directory, or EVENTSTORE_URL)`, false);
    throw error;
  }
}

async function withStore<T>(config: AppConfig, work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Progress on stderr, in events of the log (SQLite positions count events) when the total is known. */
function replayProgress(label: string, config: AppConfig, head: Position) {
  const total = !config.eventStoreUrl && head.commit > 0n ? Number(head.commit) : undefined;
  const bar = new ProgressBar(process.stderr, label, total);
  const started = Date.now();
  return {
    update: (p: { scanned: number; position: Position }) => {
      const done = total !== undefined ? Number(p.position.commit) : p.scanned;
      bar.update(done, done / Math.max((Date.now() - started) / 1000, 1e-3));
    },
    done: (message: string) => bar.done(message),
  };
}

async function replay(args: readonly string[]): Promise<number> {
  const { values } = readCommandLine(args, REPLAY_OPTIONS);
  const query = queryOf(values);
  const format = formatOf(values.format, REPORT_FORMATS);
  const config = loadConfig();
  const { summary } = await writingTo(values.out, config.dataDir, (out) =>
    withStore(config, async (store) => {
      const head = await store.headPosition();
      const progress = replayProgress('audit replay', config, head);
      const result = await exportKeyAccessReport(store, query, format, (text) => out.write(text), { until: head, onProgress: progress.update });
      return {
        summary: () =>
          progress.done(`audit replay: ${result.entries} entries up to position ${formatPosition(result.head)}; final digest ${result.finalDigest}`),
      };
    }),
  );
  // Only once the report is in place: a failure before leaves no success line behind it.
  summary();
  return 0;
}

function differenceLine(difference: Difference, format: 'table' | 'jsonl'): string {
  if (format === 'jsonl') return `${JSON.stringify(difference)}\n`;
  const shown = (value: string | number | null) => (typeof value === 'string' ? `"${printable(value)}"` : String(value));
  switch (difference.kind) {
    case 'missing-in-read-model':
      return `missing-in-read-model  ${printable(difference.entryId)}  ${shown(difference.replay.kind)} at ${shown(difference.replay.at)} position ${shown(difference.replay.position)}\n`;
    case 'extra-in-read-model':
      return `extra-in-read-model    ${printable(difference.entryId)}  ${shown(difference.readModel.kind)} at ${shown(difference.readModel.at)} position ${shown(difference.readModel.position)}\n`;
    default:
      return `field-mismatch         ${printable(difference.entryId)}  ${difference.fields.map((f) => `${f.field}: event store ${shown(f.replay)}, read model ${shown(f.readModel)}`).join('; ')}\n`;
  }
}

async function verify(args: readonly string[]): Promise<number> {
  const { values } = readCommandLine(args, VERIFY_OPTIONS);
  const query = queryOf(values);
  const format = formatOf(values.format, ['table', 'jsonl'] as const);
  const waitMs = Number(values['wait-ms'] ?? 10_000);
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new UsageError('--wait-ms must be a number of milliseconds');
  const config = loadConfig();
  return writingTo(values.out, config.dataDir, (out) =>
    withStore(config, async (store) => {
      const head = await store.headPosition();
      const building = new ProgressBar(
        process.stderr,
        config.redisUrl ? 'audit verify: waiting for the Redis read model' : 'audit verify: projecting the activity log',
        !config.eventStoreUrl && head.commit > 0n ? Number(head.commit) : undefined,
      );
      const readModel = await openActivityLogReadModel(config, store, head, { waitMs, onProgress: (p) => building.update(p.events, p.eventsPerSecond) });
      building.done(
        readModel.source === 'memory'
          ? 'audit verify: activity log projected from the event store into memory (as the embedded API does)'
          : `audit verify: Redis read model at position ${readModel.checkpoint ?? 'none'}${readModel.caughtUp ? '' : ` — BEHIND the event store head ${formatPosition(head)}: later accesses will show as missing`}`,
      );
      try {
        const progress = replayProgress('audit verify: replay', config, head);
        const result = await verifyKeyAccess({
          eventStore: store,
          readModels: readModel.readModels,
          query,
          replay: { until: head, onProgress: progress.update },
        });
        progress.done(`audit verify: ${result.replayed} entries replayed, ${result.inReadModel} in the read model`);
        for (const difference of result.differences) await out.write(differenceLine(difference, format));
        const summary = {
          replayed: result.replayed,
          inReadModel: result.inReadModel,
          head: result.head,
          differences: result.differences.length,
          readModel: readModel.source,
        };
        await out.write(
          format === 'jsonl'
            ? `${JSON.stringify({ summary })}\n`
            : `${result.differences.length === 0 ? 'OK' : 'DIFFERENCES'}: ${result.differences.length} difference(s); ${result.replayed} entries in the event store, ${result.inReadModel} in the read model (${readModel.source}), up to position ${result.head}\n`,
        );
        return result.differences.length === 0 ? 0 : 1;
      } finally {
        await readModel.close();
      }
    }),
  );
}

async function checkReportCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = readCommandLine(args, CHECK_REPORT_OPTIONS, true);
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('check-report takes one file');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`, false);
  }
  const check = checkReport(text);
  if (!check.intact) {
    // The problem may quote the edited file (an entry number): shown escaped, like a table.
    for (const problem of check.problems) process.stdout.write(`EDITED: ${file} line ${problem.line}: ${printable(problem.message)}\n`);
    return 1;
  }
  process.stdout.write(`INTACT: ${file}: ${check.entries} entries, chain verified; final digest ${check.finalDigest}\n`);
  if (!values['against-store']) return 0;
  return withStore(loadConfig(), async (store) => {
    const replayed = await exportKeyAccessReport(store, check.header!.query, 'jsonl', () => undefined);
    if (replayed.finalDigest !== check.finalDigest) {
      process.stdout.write(
        `DIFFERS FROM THE STORE: replaying the report's query now gives ${replayed.entries} entries and final digest ${replayed.finalDigest}\n`,
      );
      return 1;
    }
    process.stdout.write(`MATCHES THE STORE: replaying the report's query now gives the same ${replayed.entries} entries and final digest\n`);
    return 0;
  });
}

// A reader that stops early (`| head`) is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runSubcommand(process.argv.slice(2), { replay, verify, 'check-report': checkReportCommand }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A configuration the CLI cannot run with is the operator's to fix, like a usage error (exit 2).
    if (error instanceof ConfigError) {
      process.stderr.write(`audit: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const code = usageExit(error instanceof AuditQueryError ? new UsageError(error.message) : error, USAGE);
    if (code !== undefined) {
      process.exitCode = code;
      return;
    }
    process.stderr.write(`audit failed: ${(error as Error).message}\n`);
    process.exitCode = 3;
  },
);
