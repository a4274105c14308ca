import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { snapshotSqliteFile } from './snapshot';
import { openSqliteEventStore } from './sqlite-event-store';

describe('a snapshot of an SQLite file', () => {
  it('is consistent and ends while another connection keeps committing: a gapless prefix of the log, in one self-contained file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csp-snapshot-'));
    const file = join(dir, 'events.sqlite');
    const store = openSqliteEventStore({ file });
    const event = () => ({
      eventId: randomUUID(),
      type: 'Happened',
      data: { padding: 'x'.repeat(700) },
      metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
    });
    // Enough pages for several backup steps, each a chance for a commit in between.
    for (let i = 0; i < 40; i++) await store.append(`order-${i}`, Array.from({ length: 250 }, event), 'no_stream');
    let writes = 0;
    const writer = setInterval(() => void store.append(`order-live-${writes++}`, [event()], 'no_stream'), 1);
    const steps: number[] = [];
    try {
      await snapshotSqliteFile(file, join(dir, 'snapshot.sqlite'), ({ copiedPages }) => steps.push(copiedPages));
    } finally {
      clearInterval(writer);
      await store.close();
    }
    expect(steps.length).toBeGreaterThan(2);
    // Never restarted: the pages copied only grow.
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(writes).toBeGreaterThan(0);
    const copy = new Database(join(dir, 'snapshot.sqlite'), { readonly: true });
    const { count, last } = copy.prepare('SELECT count(*) AS count, max(position) AS last FROM events').get() as { count: number; last: number };
    expect(count).toBe(last);
    expect(count).toBeGreaterThanOrEqual(10_000);
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(existsSync(join(dir, 'snapshot.sqlite-wal'))).toBe(false);
  });
});
