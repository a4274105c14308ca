import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret kept in DATA_DIR/secrets for the embedded default, so a newcomer's `npm start` needs no
 * configuration and survives restarts with the same keys. Production sets the variables instead.
 */
export function developmentSecret(dataDir: string, name: string, bytes = 32): { value: Buffer; file: string; created: boolean } {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  const existing = existingDevelopmentSecret(dataDir, name, bytes);
  if (existing) return { ...existing, created: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes);
  // wx: never overwrite a secret another process created a moment ago.
  try {
    writeFileSync(file, value.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return developmentSecret(dataDir, name, bytes);
    throw error;
  }
  chmodSync(file, 0o600);
  return { value, file, created: true };
}

/** The development secret if DATA_DIR has one; never creates it (a reader of a store must not change DATA_DIR). */
export function existingDevelopmentSecret(dataDir: string, name: string, bytes = 32): { value: Buffer; file: string } | undefined {
  const file = join(dataDir, 'secrets', name);
  if (!existsSync(file)) return undefined;
  const value = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (value.length !== bytes) throw new Error(`${file} does not hold ${bytes} base64-encoded bytes; delete it to generate a new one`);
  return { value, file };
}
