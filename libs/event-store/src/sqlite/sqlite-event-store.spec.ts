import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, writeSync, closeSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../contract';
import { EventStoreUnavailableError, type NewEvent } from '../port';
import { openSqliteEventStore } from './sqlite-event-store';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'csp-sqlite-')), 'events.sqlite');
const event = (): NewEvent => ({ eventId: randomUUID(), type: 'Happened', data: { at: Date.now() }, metadata: { occurredAt: new Date().toISOString(), correlationId: 'c', schemaVersion: 1 } });

eventStoreContract('sqlite', async () => {
  const store = openSqliteEventStore({ file: tempFile(), pollIntervalMs: 50 });
  return { store, dispose: () => store.close() };
});

describe('SQLite event store', () => {
  it('keeps every acknowledged event across close and reopen', async () => {
    const file = tempFile();
    const first = openSqliteEventStore({ file });
    await first.append('order-1', [event(), event()], 'no_stream');
    await first.close();
    const second = openSqliteEventStore({ file });
    expect(await second.readStream('order-1')).toHaveLength(2);
    await second.close();
  });

  it('commits appends that arrive together in one transaction (group commit), each checked on its own', async () => {
    const commits: number[] = [];
    const store = openSqliteEventStore({ file: tempFile(), onCommit: (n) => commits.push(n) });
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) => store.append(`order-${i}`, [event()], 'no_stream')),
      store.append('order-0', [event()], 'no_stream'), // loses to the first append of order-0 in the same batch
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(commits).toEqual([51]);
    expect(await store.readStream('order-0')).toHaveLength(1);
    await store.close();
  });

  it('lets a second process on the same file see new events by polling', async () => {
    const file = tempFile();
    const writer = openSqliteEventStore({ file });
    const reader = openSqliteEventStore({ file, pollIntervalMs: 20 });
    const seen: string[] = [];
    const subscription = reader.subscribe((events) => {
      seen.push(...events.map((e) => e.streamId));
    });
    await writer.append('order-x', [event()], 'no_stream');
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['order-x']);
    await subscription.stop();
    await reader.close();
    await writer.close();
  });

  it('refuses to start on a corrupted file, naming it', async () => {
    const file = tempFile();
    const store = openSqliteEventStore({ file });
    for (let i = 0; i < 200; i++) await store.append(`order-${i}`, [event()], 'no_stream');
    await store.close();
    const corrupt = file + '.corrupt';
    copyFileSync(file, corrupt);
    // Overwrite a page in the middle of the file (past the header) with garbage.
    const size = statSync(corrupt).size;
    const fd = openSync(corrupt, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expect(() => openSqliteEventStore({ file: corrupt })).toThrow(new RegExp(corrupt.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    expect(readFileSync(file).length).toBe(size); // the original is untouched
  });

  it('refuses appends after close, and data that is not JSON', async () => {
    const store = openSqliteEventStore({ file: tempFile() });
    await expect(store.append('s', [{ ...event(), data: { n: 1n } }], 'any')).rejects.toThrow(TypeError);
    await store.close();
    await expect(store.append('s', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
