import { closeSync, copyFileSync, mkdtempSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DataIndex } from '../port';
import { checkDataIndex } from '../data-index';
import { openSqliteEventStore } from './sqlite-event-store';
import { prepareSqliteFileAside } from './prepare-aside';

const INDEX: DataIndex = { name: 'aside_by_owner', fields: { Accessed: { key: 'owner', at: 'at' } } };
const EVENTS = 20_000;

interface Line {
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

function recordingLogger() {
  const lines: Line[] = [];
  const record = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, ...(fields && { fields }) });
  return { lines, logger: { debug: record, info: record, warn: record, error: record } };
}

/** A closed store file of EVENTS events the index covers, without the index. */
async function history(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'csp-aside-')), 'events.sqlite');
  const store = openSqliteEventStore({ file });
  for (let batch = 0; batch < EVENTS / 500; batch++)
    await store.appendInOrder!(
      Array.from({ length: 500 }, (_, i) => ({
        streamId: `order-${batch}-${i}`,
        events: [
          {
            eventId: randomUUID(),
            type: 'Accessed',
            metadata: { occurredAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
            data: { owner: `p${i % 7}`, at: new Date(Date.UTC(2026, 0, 1) + (batch * 500 + i) * 60_000).toISOString() },
          },
        ],
        expectedRevision: 'no_stream' as const,
      })),
    );
  await store.close();
  return file;
}

/** The worker ran the check, for that reason, and said so through the caller's logger. */
async function expectCheckedOnTheWorker(file: string, reason: string): Promise<void> {
  const { lines, logger } = recordingLogger();
  expect(await prepareSqliteFileAside(file, { logger })).toBe('checked');
  expect(lines).toEqual([expect.objectContaining({ message: 'Event store integrity checked', fields: expect.objectContaining({ reason }) })]);
}

const indexed = (file: string) => {
  // Writable: a read-only connection would leave a -wal behind, an unclean stop to the next open.
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`).get(checkDataIndex(INDEX).storedName) !== undefined;
  } finally {
    db.close();
  }
};

describe('preparing a store file on a worker thread (what its open may have to do at length)', () => {
  it('builds a missing index on the worker while this thread keeps turning, logging through the caller; the open then builds nothing', async () => {
    const file = await history();
    const { lines, logger } = recordingLogger();
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      await prepareSqliteFileAside(file, { indexes: [INDEX], logger });
    } finally {
      clearInterval(ticker);
    }
    expect(indexed(file)).toBe(true);
    expect(lines.map((l) => l.message)).toEqual(['Building an index of the event store (once, over the whole history)', 'Event store index built']);
    // The build ran elsewhere: this thread's timers fired meanwhile.
    expect(turns).toBeGreaterThan(0);

    const opening = recordingLogger();
    const store = openSqliteEventStore({ file, indexes: [INDEX], logger: opening.logger });
    expect(opening.lines).toEqual([]);
    expect((await store.readIndexed!(INDEX, { key: 'p3', from: '2026', before: '2027', maxCount: EVENTS }))?.length).toBe((EVENTS / 500) * 71);
    await store.close();
  });

  it('leaves alone a file cleanly closed with every index (a restart), and a file not created yet', async () => {
    const file = await history();
    await prepareSqliteFileAside(file, { indexes: [INDEX] });
    const { lines, logger } = recordingLogger();
    await prepareSqliteFileAside(file, { indexes: [INDEX], logger });
    await prepareSqliteFileAside(join(mkdtempSync(join(tmpdir(), 'csp-aside-')), 'events.sqlite'), { indexes: [INDEX], logger });
    expect(lines).toEqual([]);
    // Nothing was left beside it that the next open would take for an unclean stop.
    expect(() => statSync(`${file}-wal`)).toThrow();
  });

  it('runs the integrity check after an unclean stop there, and refuses a damaged file with the message the open gives', async () => {
    const file = await history();
    writeFileSync(`${file}-wal`, '');
    await expectCheckedOnTheWorker(file, 'not closed cleanly');
    // Checked once: the open that follows, told so, does not read the whole file again.
    const opening = recordingLogger();
    await openSqliteEventStore({ file, integrityCheck: 'checked', logger: opening.logger }).close();
    expect(opening.lines).toEqual([]);

    const corrupt = `${file}.corrupt`;
    copyFileSync(file, corrupt);
    const fd = openSync(corrupt, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(statSync(corrupt).size / 2 / 4096) * 4096);
    closeSync(fd);
    await expect(prepareSqliteFileAside(corrupt, { integrityCheck: 'always' })).rejects.toThrow(`${corrupt} failed its integrity check`);
    // The failed open removed the write-ahead log; the marker it left keeps the next starts checking.
    expect(() => statSync(`${corrupt}-wal`)).toThrow();
    await expect(prepareSqliteFileAside(corrupt, {})).rejects.toThrow(`${corrupt} failed its integrity check`);
    expect(() => openSqliteEventStore({ file: corrupt })).toThrow(`${corrupt} failed its integrity check`);
  });

  it('checks a file once found damaged at every start until a check passes (restored), then forgets it', async () => {
    const file = await history();
    writeFileSync(`${file}-damaged`, 'found damaged by an earlier start');
    await expectCheckedOnTheWorker(file, 'found damaged before');
    expect(() => statSync(`${file}-damaged`)).toThrow();
    expect(await prepareSqliteFileAside(file, {})).toBe('auto');
  });
});
