import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '@csp/config';
import type * as port from '../port';
import { openEventStoreDatabase, type IntegrityCheck } from './database';
import { ensureDataIndexes } from './data-indexes';

// The worker thread of prepare-aside.ts: opens the file as the store does (check, migrations),
// builds the missing indexes, and closes it; its log lines go to the caller's logger.

export interface PrepareRequest {
  readonly file: string;
  readonly integrityCheck: IntegrityCheck;
  readonly indexes: readonly port.DataIndex[];
}

export type PrepareMessage = { readonly log: keyof Logger; readonly message: string; readonly fields?: Record<string, unknown> } | { readonly failed: string };

const post = (message: PrepareMessage) => parentPort!.postMessage(message);
const logger: Logger = {
  debug: (message, fields) => post({ log: 'debug', message, ...(fields && { fields }) }),
  info: (message, fields) => post({ log: 'info', message, ...(fields && { fields }) }),
  warn: (message, fields) => post({ log: 'warn', message, ...(fields && { fields }) }),
  error: (message, fields) => post({ log: 'error', message, ...(fields && { fields }) }),
};

const request = workerData as PrepareRequest;
try {
  const db = openEventStoreDatabase(request.file, logger, { integrityCheck: request.integrityCheck });
  try {
    ensureDataIndexes(db, request.indexes, logger);
  } finally {
    db.close();
  }
} catch (error) {
  post({ failed: (error as Error).message ?? String(error) });
}
