import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readCommandLine, usageExit } from '../args';
import { findRepositoryRoot, generateEventContract, PUBLISHED_SCHEMA_DIR, SCHEMA_DIR } from './event-contract';

/**
 * npm run docs:events [-- --check]
 *
 * Regenerates docs/events.md, docs/schemas/*.json and docs/schemas/published/*.json from the
 * code. With --check, writes nothing and exits 1 when the committed files differ from what the
 * code generates (CI).
 */
const USAGE = `Usage: npm run docs:events [-- --check]
       npm run docs:events -- --help

Regenerates docs/events.md, docs/schemas/*.json and docs/schemas/published/*.json from the
code; with --check, writes nothing and exits 1 when the committed files differ from what the
code generates.`;

function main(): void {
  const check = readCommandLine(process.argv.slice(2), { check: { type: 'boolean' } }).values.check === true;
  const root = findRepositoryRoot(process.cwd());
  const files = generateEventContract(root);
  const jsonFilesIn = (dir: string) => {
    try {
      return readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  };
  const existing = [...jsonFilesIn(SCHEMA_DIR), ...jsonFilesIn(PUBLISHED_SCHEMA_DIR)];
  const stale = existing.filter((f) => !files.has(f));
  const changed = [...files].filter(([path, content]) => {
    try {
      return readFileSync(join(root, path), 'utf8') !== content;
    } catch {
      return true;
    }
  });
  if (check) {
    if (changed.length === 0 && stale.length === 0) {
      process.stdout.write(`docs:events: ${files.size} files up to date\n`);
      return;
    }
    for (const [path] of changed) process.stderr.write(`out of date: ${path}\n`);
    for (const path of stale) process.stderr.write(`no longer generated: ${path}\n`);
    process.stderr.write('Run `npm run docs:events` and commit the result.\n');
    process.exit(1);
  }
  for (const [path, content] of changed) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    process.stdout.write(`wrote ${path}\n`);
  }
  for (const path of stale) {
    rmSync(join(root, path));
    process.stdout.write(`removed ${path}\n`);
  }
  process.stdout.write(`docs:events: ${files.size} files, ${changed.length} written, ${stale.length} removed\n`);
}

try {
  main();
} catch (error) {
  const code = usageExit(error, USAGE);
  if (code === undefined) process.stderr.write(`docs:events failed: ${(error as Error).message}\n`);
  process.exit(code ?? 1);
}
