import { randomBytes } from 'node:crypto';
import { accessSync, constants, realpathSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from './args';

/** Stats of a path, or undefined when there is nothing there (ENOTDIR: a file where a folder would be). */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Where a command writes a file it was told to (`--out` for a report, `--to` for a backup): a file
 * in an existing folder, or an existing file we may replace (followed through symlinks) — never
 * inside DATA_DIR, where the rename would replace the event store or the keyring with it. Refusals
 * are usage errors (exit 2) naming the option.
 */
export function outputTarget(file: string, dataDir: string, named: { readonly option: string; readonly what: string }): string {
  const { option, what } = named;
  const resolved = resolve(file);
  const existing = statOf(resolved);
  if (existing?.isDirectory()) throw new UsageError(`${option} ${file} is a folder: name the ${what}'s file`, false);
  if (existing && !existing.isFile()) throw new UsageError(`${option} ${file} is not a regular file`, false);
  const target = existing ? realpathSync(resolved) : resolved;
  const folder = statOf(dirname(target));
  if (!folder) throw new UsageError(`${option} ${file}: the folder ${dirname(target)} does not exist`, false);
  if (!folder.isDirectory()) throw new UsageError(`${option} ${file}: ${dirname(target)} is not a folder`, false);
  const store = statOf(dataDir) ? realpathSync(dataDir) : resolve(dataDir);
  const within = relative(store, realpathSync(dirname(target)));
  if (within === '' || (!within.startsWith('..') && !isAbsolute(within))) {
    throw new UsageError(`${option} ${file} is inside DATA_DIR (${store}), which holds the event store and the keyring: write the ${what} elsewhere`, false);
  }
  if (existing) {
    try {
      accessSync(target, constants.W_OK);
    } catch {
      throw new UsageError(`${option} ${file} exists and is not writable`, false);
    }
  }
  return target;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A temporary path removed at exit and on SIGINT/SIGTERM/SIGHUP until `forget()`: a failure or Ctrl-C leaves nothing behind. */
export interface Temporary {
  readonly path: string;
  /** Removes it now (a file or a folder), and forgets it. */
  remove(): void;
  /** It was renamed into place, or removed otherwise: nothing to do at exit any more. */
  forget(): void;
}

/** A fresh temporary name beside `target`, in its folder: renaming it over the target is atomic. */
export const besideTarget = (target: string, kind: string) =>
  join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.${kind}`);

/**
 * Takes charge of `path` (created by the caller after this call: a signal between its creation and
 * the listeners would leave it behind) so that it is removed whatever ends the process.
 */
export function temporary(path: string): Temporary {
  let settled = false;
  const remove = () => {
    if (settled) return;
    settled = true;
    rmSync(path, { recursive: true, force: true });
  };
  // Ends the process as the signal would have, once the temporary path is gone.
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };
  const forget = () => {
    settled = true;
    process.off('exit', remove);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  process.once('exit', remove);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return {
    path,
    remove: () => {
      remove();
      forget();
    },
    forget,
  };
}
