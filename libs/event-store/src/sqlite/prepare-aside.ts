import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Logger } from '@csp/config';
import type * as port from '../port';
import { checkDataIndex } from '../data-index';
import { damageMarkerOf, type IntegrityCheck } from './database';
import { hasIndex } from './data-indexes';
import { SCHEMA_VERSION } from './schema';
import type { PrepareMessage, PrepareRequest } from './prepare-worker';

/**
 * What opening a writable store file may have to do at length, done on a worker thread: the
 * integrity check after an unclean stop (a minute over 5M events uncached), the migrations, the
 * first build of a declared index over the whole history (half a minute at 5M). better-sqlite3 runs
 * on the calling thread, so on the main one these would stop its event loop, and with it the API's
 * liveness answers, for as long. Opening the store afterwards finds nothing left to do: the
 * answer is the integrity check that open should ask for (`checked` once the worker ran it). A
 * file that needs none of it (the usual restart) is not handed to a worker at all.
 */
export async function prepareSqliteFileAside(
  file: string,
  options: { readonly integrityCheck?: IntegrityCheck; readonly indexes?: readonly port.DataIndex[]; readonly logger?: Logger },
): Promise<IntegrityCheck> {
  const request: PrepareRequest = { file, integrityCheck: options.integrityCheck ?? 'auto', indexes: options.indexes ?? [] };
  if (!needsPreparation(request)) return request.integrityCheck;
  // Under the tests the sources are TypeScript, which a worker loads through the same compiler as the benchmarks.
  const typescript = extname(__filename) === '.ts';
  const worker = new Worker(join(__dirname, `prepare-worker${extname(__filename)}`), {
    workerData: request,
    ...(typescript && { execArgv: ['--require', '@swc-node/register'] }),
  });
  let failure: string | undefined;
  worker.on('message', (message: PrepareMessage) => {
    if ('failed' in message) failure = message.failed;
    else options.logger?.[message.log](message.message, message.fields);
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  if (failure !== undefined) throw new Error(failure);
  if (exitCode !== 0) throw new Error(`Preparing the event store ${file} stopped with exit code ${exitCode}`);
  return 'checked';
}

/** An unclean stop or a check asked for, a migration due, or a declared index missing; a new file needs nothing long. */
function needsPreparation(request: PrepareRequest): boolean {
  if (!existsSync(request.file)) return false;
  if (request.integrityCheck === 'always' || existsSync(`${request.file}-wal`) || existsSync(damageMarkerOf(request.file))) return true;
  let db: Database.Database;
  try {
    // Writable, though it only reads: a read-only connection would leave a -wal behind (see
    // database.ts), which the open that follows would take for an unclean stop.
    db = new Database(request.file, { fileMustExist: true });
  } catch {
    // Not for here to say why: the open that follows refuses the file, naming it.
    return false;
  }
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < SCHEMA_VERSION) return true;
    return request.indexes.some((index) => !hasIndex(db, checkDataIndex(index)));
  } catch {
    return false;
  } finally {
    db.close();
  }
}
