import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NewEvent, RecordedEvent } from '../port';
import { NotAnEventStoreError } from '../port';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

const tempDir = () => mkdtempSync(join(tmpdir(), 'csp-sqlite-ro-'));
const event = (type = 'Happened'): NewEvent => ({
  eventId: randomUUID(),
  type,
  data: { n: 1 },
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
});
/** Every file of a folder with its bytes: what "nothing created or changed" compares. */
const snapshot = (dir: string): Record<string, unknown> =>
  Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      statSync(join(dir, name)).isDirectory() ? snapshot(join(dir, name)) : readFileSync(join(dir, name)).toString('base64'),
    ]),
  );

describe('SQLite event store opened read-only', () => {
  const opened: SqliteEventStore[] = [];
  const open = (file: string, options: { readOnly?: boolean; pollIntervalMs?: number } = {}) => {
    const store = openSqliteEventStore({ file, ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('reads a store while another connection writes it, and follows its writes', async () => {
    const file = join(tempDir(), 'events.sqlite');
    const writer = open(file);
    await writer.append('order-1', [event('First')], 'no_stream');
    const reader = open(file, { readOnly: true, pollIntervalMs: 20 });
    expect((await reader.readStream('order-1')).map((e) => e.type)).toEqual(['First']);
    const seen: RecordedEvent[] = [];
    const subscription = reader.subscribe((events) => void seen.push(...events));
    for (let i = 0; i < 5; i++) await writer.append(`order-${i + 2}`, [event('Later')], 'no_stream');
    for (let i = 0; i < 200 && seen.length < 6; i++) await new Promise((r) => setTimeout(r, 20));
    await subscription.stop();
    expect(seen.map((e) => Number(e.position.commit))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await reader.headPosition()).toEqual({ commit: 6n, prepare: 6n });
  });

  it('reads a store that another process is writing', async () => {
    const file = join(tempDir(), 'events.sqlite');
    const seeded = open(file);
    await seeded.append('order-0', [event()], 'no_stream');
    const reader = open(file, { readOnly: true });
    // Another process appends a row every few milliseconds, as the service would.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
         const db = new Database(process.argv[1]); db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = 5000');
         const insert = db.prepare("INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, 0, ?, 'Written', '{}', '{}', '2026-03-02T10:00:00.000Z')");
         let n = 0; const timer = setInterval(() => { insert.run('order-other-' + n, 'other-' + n); if (++n === 40) { clearInterval(timer); db.close(); } }, 5);`,
        file,
      ],
      { stdio: 'inherit' },
    );
    const heads: bigint[] = [];
    const exited = once(child, 'exit');
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      heads.push((await reader.headPosition()).commit);
      await new Promise((r) => setTimeout(r, 3));
    }
    expect((await exited)[0]).toBe(0);
    heads.push((await reader.headPosition()).commit);
    expect(heads.at(-1)).toBe(41n);
    expect(heads).toEqual([...heads].sort((a, b) => Number(a - b))); // never backwards
    expect((await reader.readAll({ maxCount: 100 })).map((e) => e.type)).toEqual(['Happened', ...Array(40).fill('Written')]);
  });

  it('refuses appends', async () => {
    const file = join(tempDir(), 'events.sqlite');
    await open(file).close();
    const reader = open(file, { readOnly: true });
    await expect(reader.append('order-1', [event()], 'no_stream')).rejects.toThrow('read-only');
    expect(await reader.headPosition()).toEqual({ commit: -1n, prepare: -1n });
  });

  const notStores: [string, (file: string) => void, RegExp][] = [
    ['a missing file', () => undefined, /^No event store at .*events\.sqlite$/],
    ['a 0-byte file', (file) => writeFileSync(file, ''), /is not an event store: it is empty \(0 bytes\)$/],
    ['a file that is not SQLite', (file) => writeFileSync(file, '{"events":[]}\n'.repeat(400)), /is not an event store: it is not an SQLite database$/],
    ['a folder', (file) => mkdirSync(file), /is not an event store: it is not a file$/],
    [
      'an SQLite database of something else',
      (file) => {
        const db = new Database(file);
        db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
        db.close();
      },
      /is not an event store: it has no events table$/,
    ],
    [
      'an events table our migrations never made',
      (file) => {
        const db = new Database(file);
        db.exec(MIGRATIONS[0]!);
        db.close(); // user_version 0
      },
      /is not an event store: its schema version is 0$/,
    ],
    [
      'an events table of another shape',
      (file) => {
        const db = new Database(file);
        db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, payload TEXT)');
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
        db.close();
      },
      /is not an event store: its events table is not the one the store creates$/,
    ],
  ];

  it.each(notStores)('refuses %s, creating, migrating and changing nothing', (_, make, message) => {
    const dir = tempDir();
    const file = join(dir, 'events.sqlite');
    make(file);
    const before = snapshot(dir);
    let refusal: unknown;
    try {
      open(file, { readOnly: true });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(NotAnEventStoreError);
    expect((refusal as Error).message).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a store newer than this program, without touching it', () => {
    const dir = tempDir();
    const file = join(dir, 'events.sqlite');
    const db = new Database(file);
    for (const migration of MIGRATIONS) db.exec(migration);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = snapshot(dir);
    expect(() => open(file, { readOnly: true })).toThrow(/newer than this program understands/);
    expect(snapshot(dir)).toEqual(before);
  });
});
