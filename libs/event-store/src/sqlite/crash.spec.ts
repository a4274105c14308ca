import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';
import { type RecordedEvent } from '../port';
import { openSqliteEventStore } from './sqlite-event-store';

/**
 * SIGKILL a process in the middle of a burst of group-committed appends, then reopen the file:
 * every append the process acknowledged is there, whole, and no append is there in part. The child
 * runs this very adapter, transpiled to CommonJS (no type check) because a plain node process
 * cannot load TypeScript.
 */

const SOURCE = resolve(__dirname, '..');
const EVENTS_PER_APPEND = 3;

function transpileAdapter(outDir: string): string {
  const modules = (folder: string) => readdirSync(join(SOURCE, folder)).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
  // The adapter and the port's modules beside it, which it may import.
  for (const file of [...modules('.'), ...modules('sqlite').map((name) => join('sqlite', name))]) {
    const { outputText } = ts.transpileModule(readFileSync(join(SOURCE, file), 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const target = join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return join(outDir, 'sqlite');
}

/** Appends bursts of concurrent multi-event appends forever, printing each acknowledgement. */
const WRITER = `
const { writeSync } = require('node:fs');
const { randomUUID } = require('node:crypto');
const [adapter, file, round] = process.argv.slice(1);
const store = require(adapter).openSqliteEventStore({ file });
let next = 0;
const appendOne = async () => {
  const streamId = 'order-' + round + '-' + next++;
  const events = Array.from({ length: ${EVENTS_PER_APPEND} }, (_, i) => ({
    eventId: randomUUID(),
    type: 'Step',
    data: { i },
    metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: streamId, schemaVersion: 1 },
  }));
  await store.append(streamId, events, 'no_stream');
  writeSync(1, JSON.stringify({ streamId, eventIds: events.map((e) => e.eventId) }) + '\\n');
};
(async () => {
  for (;;) await Promise.all(Array.from({ length: 25 }, appendOne));
})();
`;

interface Acknowledged {
  readonly streamId: string;
  readonly eventIds: readonly string[];
}

/** Runs the writer until it has acknowledged `killAfter` appends, SIGKILLs it, returns what it acknowledged. */
function runAndKill(adapter: string, file: string, round: number, killAfter: number): Promise<Acknowledged[]> {
  const nodeModules = resolve(require.resolve('better-sqlite3/package.json'), '../..');
  const child = spawn(process.execPath, ['-e', WRITER, adapter, file, String(round)], {
    env: { ...process.env, NODE_PATH: nodeModules },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.split('\n').length > killAfter) child.kill('SIGKILL');
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return fail(new Error(`The writer exited on its own (${String(signal)}): ${stderr}`));
      // Only whole lines are acknowledgements; each was written with one write(2) after its commit.
      done(
        stdout
          .split('\n')
          .filter((line) => line.endsWith('}'))
          .map((line) => JSON.parse(line) as Acknowledged),
      );
    });
  });
}

async function readEverything(file: string): Promise<RecordedEvent[]> {
  const store = openSqliteEventStore({ file });
  try {
    const all: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({ ...(all.length > 0 && { after: all[all.length - 1]!.position }), maxCount: 5000 });
      if (page.length === 0) return all;
      all.push(...page);
    }
  } finally {
    await store.close();
  }
}

describe('SQLite event store killed mid-burst', () => {
  let adapter: string;
  beforeAll(() => {
    adapter = transpileAdapter(mkdtempSync(join(tmpdir(), 'csp-sqlite-adapter-')));
  });

  it('keeps every acknowledged append whole and never keeps part of one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'csp-sqlite-crash-')), 'events.sqlite');
    const acknowledged: Acknowledged[] = [];
    for (const [round, killAfter] of [73, 211, 389].entries()) {
      acknowledged.push(...(await runAndKill(adapter, file, round, killAfter)));
      const events = await readEverything(file);

      expect(events.map((e) => e.position.commit)).toEqual(events.map((_, i) => BigInt(i + 1)));
      const byStream = new Map<string, RecordedEvent[]>();
      for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
      for (const [streamId, streamEvents] of byStream) {
        expect({ streamId, revisions: streamEvents.map((e) => e.revision) }).toEqual({ streamId, revisions: [0n, 1n, 2n] });
      }
      for (const { streamId, eventIds } of acknowledged) {
        expect({ streamId, eventIds: byStream.get(streamId)?.map((e) => e.eventId) }).toEqual({ streamId, eventIds });
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(73 + 211 + 389);
  });
});
