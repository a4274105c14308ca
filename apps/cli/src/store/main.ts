import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, eventStoreKind, loadConfig } from '@csp/config';
import { JsonLogger } from '@csp/application';
import { NotAnEventStoreError, TargetHoldsOtherEventsError } from '@csp/event-store';
import { KeyEncryptionKeyNotConfiguredError, TargetHoldsOtherKeysError } from '@csp/security';
import {
  backUpEmbeddedStore,
  BackupDamagedError,
  copyConfiguredStore,
  NotABackupError,
  restoreBackup,
  StoreCommandRefused,
  verifyBackup,
  type BackupManifest,
  type CopyTarget,
  type StoreProgress,
} from '@csp/runtime';
import { readCommandLine, runSubcommand, UsageError, usageExit } from '../args';
import { besideTarget, outputTarget, temporary } from '../output-file';
import { count, ProgressBar } from '../progress';

const USAGE = `Usage:
  npm run store -- backup --to <file>
  npm run store -- verify <file>
  npm run store -- restore --from <file>
  npm run store -- copy (--to <EVENTSTORE_URL> | --to-data-dir <folder>) [--target-key-file <file>] [--final]
  npm run store -- --help

backup   one consistent backup of the embedded install in DATA_DIR — the event store and the
         keyring together — while the API runs or not: a tar file with a manifest (event count,
         head position, the history's SHA-256 digest, the key-encryption key ids it needs),
         written beside <file> and renamed into place once complete and synced
verify   checks a backup without restoring it: every file against the manifest, the event store's
         integrity, the digest recomputed from the events; opens the data keys with the configured
         key-encryption key when there is one (KEY_ENCRYPTION_KEY or DATA_DIR's development key)
restore  into an empty or absent DATA_DIR, after the same checks; the data keys must open with
         KEY_ENCRYPTION_KEY (or KEY_ENCRYPTION_KEYS_PREVIOUS): a backup without its KEK is useless
copy     the configured store's whole history (DATA_DIR, or EVENTSTORE_URL) and its keyring to
         another store: postgres://…, kurrentdb://… or esdb://…, or an embedded store's folder.
         Resumable: run it again after an interruption and it goes on where the target is. Ends
         by comparing the history's digest on both sides. A target holding other events is refused.
         --target-key-file: a file holding the target's key-encryption key (base64, 32 bytes) when
         it is not the source's; the data keys are re-wrapped by it
         --final: the last copy, with the API stopped, before the product starts on the target:
         moves the webhooks' checkpoints to the target's positions (no copy goes on onto it after)

Read models are not copied: the product builds them from the events at its first start on the
target or the restored DATA_DIR (give it a fresh DATA_DIR or REDIS_KEY_PREFIX for them).
Progress goes to stderr. Exit codes: 0 ok, 1 a backup that fails its checks or a copy whose
digests differ, 2 usage, configuration or a refused input (not a store, not a backup, a DATA_DIR
or target that is not empty, a key-encryption key that does not open the keys), 3 failure (a
target that cannot be reached, a disk full).`;

const MIB = 1 << 20;

const seconds = (startedMs: number) => (performance.now() - startedMs) / 1000;

/**
 * One progress bar per step of a command, on stderr, each with its own rate and, once done, its
 * time: from the end of the step before (or the start), so that the steps' times add up to the run.
 */
function progressOnStderr(command: string) {
  let current: { step: string; bar: ProgressBar; startedMs: number } | undefined;
  let lastMs = performance.now();
  const finish = () => {
    if (current) current.bar.done(`${command}: ${current.step} done in ${seconds(current.startedMs).toFixed(1)} s`);
    current = undefined;
    lastMs = performance.now();
  };
  return {
    update(progress: StoreProgress) {
      if (current?.step !== progress.step) {
        finish();
        current = {
          step: progress.step,
          bar: new ProgressBar(process.stderr, `${command}: ${progress.step}`, progress.total, undefined, progress.unit),
          startedMs: lastMs,
        };
      }
      current.bar.update(progress.done, progress.done / Math.max((performance.now() - current.startedMs) / 1000, 1e-3));
    },
    finish,
  };
}

const rate = (events: number, startedMs: number) => count(events / Math.max(seconds(startedMs), 1e-3));

function keyringLine(manifest: BackupManifest): string {
  const { keyring } = manifest;
  if (!keyring) return 'keyring: none (no product key was ever encrypted here)';
  const kids = keyring.keyEncryptionKeyIds;
  return `keyring: ${count(keyring.tenants)} tenant key(s), ${count(keyring.destroyed)} destroyed${kids.length > 0 ? `; wrapped by ${kids.join(', ')}` : ''}`;
}

async function backup(args: readonly string[]): Promise<number> {
  const { values } = readCommandLine(args, { to: { type: 'string' } });
  if (!values.to) throw new UsageError('backup needs --to <file>');
  const config = loadConfig();
  const destination = outputTarget(values.to, config.dataDir, { option: '--to', what: 'backup' });
  const work = temporary(besideTarget(destination, 'partial'));
  const progress = progressOnStderr('backup');
  const started = performance.now();
  try {
    mkdirSync(work.path, { mode: 0o700 });
    const manifest = await backUpEmbeddedStore(config, { workDir: work.path, destination, onProgress: progress.update });
    progress.finish();
    const bytes = manifest.events.bytes + (manifest.keyring?.bytes ?? 0);
    process.stdout.write(
      `backup: ${destination}: ${count(manifest.events.count)} events up to position ${manifest.events.head}, ${(bytes / MIB).toFixed(1)} MiB, ` +
        `in ${seconds(started).toFixed(1)} s (${rate(manifest.events.count, started)} events/s)\n` +
        `digest: ${manifest.events.digest} (keep it apart from the backup: verify recomputes it)\n` +
        `${keyringLine(manifest)}\n` +
        (manifest.keyring?.keyEncryptionKeyIds.length
          ? `needs: the key-encryption key ${manifest.keyring.keyEncryptionKeyIds.join(', ')} (KEY_ENCRYPTION_KEY${config.keyEncryptionKey ? '' : `, here the development key ${join(config.dataDir, 'secrets', 'key-encryption-key')}`}); keep it apart from the backup: without it no product key can be revealed\n`
          : ''),
    );
    return 0;
  } finally {
    work.remove();
  }
}

function oneFile(args: readonly string[], command: string): string {
  const { positionals } = readCommandLine(args, {}, true);
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError(`${command} takes one file`);
  return file;
}

async function verify(args: readonly string[]): Promise<number> {
  const file = oneFile(args, 'verify');
  const config = loadConfig();
  const work = temporary(join(tmpdir(), `csp-verify-${process.pid}-${randomBytes(4).toString('hex')}`));
  const progress = progressOnStderr('verify');
  try {
    mkdirSync(work.path, { mode: 0o700 });
    const checked = await verifyBackup(config, { from: file, workDir: work.path, onProgress: progress.update });
    progress.finish();
    const { events } = checked.manifest;
    process.stdout.write(
      `INTACT: ${file}: taken ${checked.manifest.createdAt}, ${count(events.count)} events up to position ${events.head}, digest ${events.digest} recomputed from the events\n` +
        `${keyringLine(checked.manifest)}\n` +
        (checked.keys.some((entry) => entry.record.state === 'active')
          ? checked.keysOpened
            ? 'keys: every data key opens with the key-encryption key configured here\n'
            : 'keys: not checked (no KEY_ENCRYPTION_KEY here): restoring needs the key-encryption key named above\n'
          : ''),
    );
    return 0;
  } finally {
    work.remove();
  }
}

async function restore(args: readonly string[]): Promise<number> {
  const { values } = readCommandLine(args, { from: { type: 'string' } });
  if (!values.from) throw new UsageError('restore needs --from <file>');
  const config = loadConfig();
  const work = temporary(join(config.dataDir, `.restore-${process.pid}-${randomBytes(4).toString('hex')}`));
  const progress = progressOnStderr('restore');
  const started = performance.now();
  try {
    const restored = await restoreBackup(config, { from: values.from, workDir: work.path, onProgress: progress.update });
    progress.finish();
    const { events } = restored.manifest;
    process.stdout.write(
      `restored: ${values.from} into ${config.dataDir}: ${count(events.count)} events up to position ${events.head}, digest ${events.digest} verified, ` +
        `in ${seconds(started).toFixed(1)} s\n${keyringLine(restored.manifest)}\n` +
        'The API builds the read models from the events at its first start on this DATA_DIR; start it with the same KEY_ENCRYPTION_KEY.\n',
    );
    return 0;
  } finally {
    work.remove();
  }
}

/** A key-encryption key from a file (base64, 32 bytes), like KEY_ENCRYPTION_KEY or DATA_DIR's development key; never on the command line, where `ps` shows it. */
function keyFromFile(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--target-key-file ${file}: ${(error as Error).message}`, false);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new UsageError(`--target-key-file ${file} must hold a 32-byte key, base64-encoded (e.g. \`openssl rand -base64 32\`)`, false);
  return key;
}

async function copy(args: readonly string[]): Promise<number> {
  const { values } = readCommandLine(args, {
    to: { type: 'string' },
    'to-data-dir': { type: 'string' },
    'target-key-file': { type: 'string' },
    final: { type: 'boolean' },
  });
  if ((values.to === undefined) === (values['to-data-dir'] === undefined))
    throw new UsageError('copy needs one of --to <EVENTSTORE_URL> and --to-data-dir <folder>');
  if (values.to !== undefined && eventStoreKind(values.to) === undefined)
    throw new UsageError('--to must be an EVENTSTORE_URL: postgres://…, postgresql://…, kurrentdb://… or esdb://… (--to-data-dir for an embedded store)');
  const target: CopyTarget = values.to !== undefined ? { eventStoreUrl: values.to } : { dataDir: values['to-data-dir']! };
  const targetKey = values['target-key-file'] !== undefined ? keyFromFile(values['target-key-file']) : undefined;
  const config = loadConfig();
  const progress = progressOnStderr('copy');
  const started = performance.now();
  const steps = { checking: 'checking the events already on the target', copying: 'copying events', comparing: "digesting the target's history" } as const;
  const result = await copyConfiguredStore(config, new JsonLogger('warn', { service: 'store' }), target, {
    ...(targetKey ? { targetKey } : {}),
    final: values.final === true,
    onProgress: ({ phase, events, total }) => progress.update({ step: steps[phase], done: events, ...(total !== undefined ? { total } : {}), unit: 'events' }),
  });
  progress.finish();
  const { history, keyring } = result;
  const copyRate = rate(history.copied, started);
  process.stdout.write(
    `copy: ${count(history.target.events)} events on the target (${count(history.alreadyOnTarget)} there already, ${count(history.copied)} copied) in ${seconds(started).toFixed(1)} s, ${copyRate} events/s\n` +
      `keyring: ${count(keyring.tenants)} tenant key(s), ${count(keyring.destroyed)} destroyed, ${count(keyring.written)} written` +
      (keyring.keyEncryptionKeyIds.length > 0 ? `; the target's data keys are wrapped by ${keyring.keyEncryptionKeyIds.join(', ')}` : '') +
      '\n' +
      (result.developmentKeyFile && keyring.keyEncryptionKeyIds.length > 0
        ? `needs: the product on the target must run with KEY_ENCRYPTION_KEY set to the content of ${result.developmentKeyFile} (the development key), or copy again with --target-key-file\n`
        : ''),
  );
  if (!result.identical) {
    process.stdout.write(
      `DIFFERENT: the source's history up to the copy's start has ${count(history.source.events)} events, digest ${history.source.digest}; ` +
        `the target's has ${count(history.target.events)}, digest ${history.target.digest}: was the target written meanwhile?\n`,
    );
    return 1;
  }
  process.stdout.write(`digest: ${history.source.digest} on both sides (${count(history.source.events)} events)\n`);
  const moves = result.webhooks.map((w) => `  ${w.webhookId}: the source's ${w.sourcePosition} is the target's ${w.targetPosition}\n`).join('');
  if (result.webhooksMoved)
    process.stdout.write(
      `webhooks: ${result.webhooks.length} checkpoint(s) moved to the target's positions (appended there: copy no more onto this target):\n${moves}`,
    );
  else if (result.webhooks.length > 0)
    process.stdout.write(
      `webhooks: ${result.webhooks.length} checkpoint(s) name positions of the source, which are the source's own: once the API is stopped, ` +
        `make the last copy with --final to move them, before the product starts on the target:\n${moves}`,
    );
  return 0;
}

/** What the operator gave cannot be used as given: exit 2, nothing changed. */
const REFUSALS = [
  ConfigError,
  NotAnEventStoreError,
  NotABackupError,
  StoreCommandRefused,
  TargetHoldsOtherEventsError,
  TargetHoldsOtherKeysError,
  KeyEncryptionKeyNotConfiguredError,
];

runSubcommand(process.argv.slice(2), { backup, verify, restore, copy })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const usage = usageExit(error, USAGE);
      if (usage !== undefined) {
        process.exitCode = usage;
      } else if (error instanceof BackupDamagedError) {
        process.stdout.write(`DAMAGED: ${error.message}\n`);
        process.exitCode = 1;
      } else if (REFUSALS.some((refusal) => error instanceof refusal)) {
        const hint =
          error instanceof KeyEncryptionKeyNotConfiguredError
            ? ': set KEY_ENCRYPTION_KEY (or KEY_ENCRYPTION_KEYS_PREVIOUS) to the key-encryption key of the install the keys come from; without it their product keys cannot be revealed'
            : '';
        process.stderr.write(`store: ${(error as Error).message}${hint}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`store ${process.argv[2] ?? ''} failed: ${(error as Error).message}\n`);
        process.exitCode = 3;
      }
    },
  )
  .finally(() => {
    // A client of a store server may keep a socket open after its store is closed; the answer is given.
    setTimeout(() => process.exit(), 2_000).unref();
  });
