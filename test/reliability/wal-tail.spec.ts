/**
 * A torn or corrupted tail of the SQLite write-ahead log — a crash in the middle of writing — is
 * detected and reported at start-up, and every committed event is kept.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { recordingLogger } from '../../libs/config/src/testing/recording-logger';
import { inspectWal } from '../../libs/event-store/src/sqlite/wal-inspection';

const event = (n: number): NewEvent => ({
  eventId: randomUUID(),
  type: 'Happened',
  data: { n },
  metadata: { occurredAt: new Date().toISOString(), correlationId: 'c', schemaVersion: 1 },
});

/** Leaves a store as a crash would: committed transactions in the WAL, never checkpointed. */
async function crashedStore(events: number): Promise<{ file: string; pageSize: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'csp-wal-'));
  const live = join(dir, 'live.sqlite');
  const store = openSqliteEventStore({ file: live });
  for (let i = 0; i < events; i++) await store.append(`order-${i}`, [event(i)], 'no_stream');
  // Copy the files while the store is open: exactly what a power cut would leave on disk.
  const file = join(dir, 'crashed.sqlite');
  copyFileSync(live, file);
  copyFileSync(`${live}-wal`, `${file}-wal`);
  await store.close();
  return { file, pageSize: readFileSync(`${file}-wal`).readUInt32BE(8) };
}

let faults = 0;
afterAll(() => console.log(`WAL tail: ${faults} torn or corrupted tails injected, 0 committed events lost`));

describe('a torn or corrupted WAL tail', () => {
  it('reads a clean crash as clean: every frame committed, nothing to drop', async () => {
    const { file } = await crashedStore(20);
    // 20 appends and the transaction that created the schema.
    expect(inspectWal(file)).toEqual(expect.objectContaining({ discardedBytes: 0, commits: 21 }));
    const w = recordingLogger();
    const store = openSqliteEventStore({ file, logger: w.logger });
    expect((await store.readAll()).length).toBe(20);
    // Nothing to warn about; the stop was unclean, so the whole file was checked, and the log says so.
    expect(w.lines.filter((line) => line.level !== 'info')).toEqual([]);
    expect(w.lines.map((line) => [line.message, line.fields?.reason])).toEqual([['Event store integrity checked', 'not closed cleanly']]);
    await store.close();
  });

  it.each([
    ['a half-written frame', (file: string, pageSize: number) => appendFileSync(`${file}-wal`, randomBytes(24 + Math.floor(pageSize / 2)))],
    ['whole frames of garbage', (file: string, pageSize: number) => appendFileSync(`${file}-wal`, randomBytes(3 * (24 + pageSize)))],
    [
      'a frame whose page was corrupted after its commit was written',
      (file: string, pageSize: number) => {
        // A valid-looking frame copied from the log with flipped page bytes: its checksum fails.
        const wal = readFileSync(`${file}-wal`);
        const frame = Buffer.from(wal.subarray(32, 32 + 24 + pageSize));
        frame[24 + 100] = frame[24 + 100]! ^ 0xff;
        appendFileSync(`${file}-wal`, frame);
      },
    ],
  ])('with %s is reported at start-up, and every committed event is kept', async (_name, damage) => {
    const { file, pageSize } = await crashedStore(25);
    const clean = inspectWal(file)!;
    damage(file, pageSize);
    faults++;
    const w = recordingLogger();
    const store = openSqliteEventStore({ file, logger: w.logger });
    const events = await store.readAll();
    expect(events.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const warnings = w.lines.filter((line) => line.level !== 'info');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.message).toMatch(/torn or corrupted tail/);
    expect(warnings[0]!.fields).toEqual(expect.objectContaining({ committedTransactionsKept: clean.commits, walBytes: expect.any(Number) }));
    expect(warnings[0]!.fields!.discardedBytes).toBeGreaterThan(0);
    // An unclean stop: the whole file was checked too.
    expect(w.lines.some((line) => line.message === 'Event store integrity checked')).toBe(true);
    // And the store works on: new appends after recovery are durable.
    await store.append('order-new', [event(99)], 'no_stream');
    await store.close();
    const reopened = openSqliteEventStore({ file });
    expect((await reopened.readAll()).length).toBe(26);
    await reopened.close();
  });

  it('refuses to start on a WAL whose header is damaged, rather than let SQLite drop its committed transactions', async () => {
    const { file } = await crashedStore(5);
    const wal = readFileSync(`${file}-wal`);
    wal.fill(0x5a, 0, 32);
    writeFileSync(`${file}-wal`, wal);
    faults++;
    expect(() => openSqliteEventStore({ file })).toThrow(/write-ahead log whose header is damaged .* move .*-wal aside/);
    // The damaged log is left as it was, for the operator to restore.
    expect(readFileSync(`${file}-wal`).equals(wal)).toBe(true);
  });
});
