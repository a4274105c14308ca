import { randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventStoreContract } from '../contract';
import { EventStoreUnavailableError, START, WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '../port';
import { SCHEMA_VERSION } from './schema';
import { openSqliteEventStore, type SqliteEventStore } from './sqlite-event-store';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'csp-sqlite-')), 'events.sqlite');
const event = (type = 'Happened'): NewEvent => ({
  eventId: randomUUID(),
  type,
  data: { n: 1 },
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
});
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

eventStoreContract(
  'sqlite',
  async ({ indexes }) => {
    const store = openSqliteEventStore({ file: tempFile(), pollIntervalMs: 50, indexes });
    return { store, dispose: () => store.close() };
  },
  { dataIndexes: true },
);

describe('SQLite event store', () => {
  const opened: SqliteEventStore[] = [];
  const open = (options: Partial<Parameters<typeof openSqliteEventStore>[0]> = {}) => {
    const store = openSqliteEventStore({ file: tempFile(), ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  describe('sparse stream prefixes', () => {
    it('reads the streams of a sparse prefix through the stream index with the answers of a scan: order, paging, types, live', async () => {
      const file = tempFile();
      const sparse = open({ file, sparseStreamPrefixes: ['webhook-', 'refund-'], pollIntervalMs: 20 });
      const streams = ['order-1', 'webhook-b', 'order-2', 'webhook-a', 'refund-1', 'webhook-b', 'webhooks', 'webhook', 'order-3'];
      const revisions = new Map<string, number>();
      for (const [i, streamId] of streams.entries()) {
        const revision = revisions.get(streamId);
        await sparse.append(streamId, [event(i % 2 === 0 ? 'Even' : 'Odd')], revision === undefined ? 'no_stream' : BigInt(revision));
        revisions.set(streamId, (revision ?? -1) + 1);
      }
      const plain = open({ file, readOnly: true });
      const ids = (events: readonly RecordedEvent[]) => events.map((e) => `${e.streamId}#${e.revision}`);
      for (const filter of [
        { streamPrefixes: ['webhook-'] },
        { streamPrefixes: ['webhook-', 'refund-'] },
        { streamPrefixes: ['webhook-'], eventTypes: ['Odd'] },
        { streamPrefixes: ['webhook-', 'order-'] },
      ]) {
        const all = await plain.readAll({ filter });
        expect({ filter, events: ids(await sparse.readAll({ filter })) }).toEqual({ filter, events: ids(all) });
        const first = await sparse.readAll({ filter, maxCount: 1 });
        expect(ids(await sparse.readAll({ filter, after: first[0]!.position }))).toEqual(ids(all.slice(1)));
      }
      expect(ids(await sparse.readAll({ filter: { streamPrefixes: ['webhook-'] } }))).toEqual(['webhook-b#0', 'webhook-a#0', 'webhook-b#1']);

      const seen: RecordedEvent[] = [];
      const subscription = sparse.subscribe((events) => void seen.push(...events), { filter: { streamPrefixes: ['webhook-'] } });
      await sparse.append('webhook-c', [event()], 'no_stream');
      for (let i = 0; i < 100 && seen.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
      expect(ids(seen)).toEqual(['webhook-b#0', 'webhook-a#0', 'webhook-b#1', 'webhook-c#0']);
      await subscription.stop();
    });

    it('refuses a prefix that is not plain characters', () => {
      expect(() => open({ sparseStreamPrefixes: ["x' OR 1=1"] })).toThrow(/plain characters/);
    });
  });

  describe('durability and start-up', () => {
    it('keeps every acknowledged event across close and reopen', async () => {
      const file = tempFile();
      const first = open({ file });
      const ids = [event(), event()];
      await first.append('order-1', ids, 'no_stream');
      await first.close();
      const second = open({ file });
      expect((await second.readStream('order-1')).map((e) => e.eventId)).toEqual(ids.map((e) => e.eventId));
      expect(await second.headPosition()).toEqual({ commit: 2n, prepare: 2n });
    });

    it('opens in WAL mode with a full fsync per commit and records its schema version', async () => {
      const file = tempFile();
      open({ file });
      const db = new Database(file, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
    });

    it('says START for the head of an empty store', async () => {
      expect(await open().headPosition()).toEqual(START);
    });

    it('refuses to start on a corrupted file, naming it', async () => {
      const file = tempFile();
      const store = open({ file });
      for (let i = 0; i < 200; i++) await store.append(`order-${i}`, [event()], 'no_stream');
      await store.close();
      const corrupt = `${file}.corrupt`;
      copyFileSync(file, corrupt);
      const size = statSync(corrupt).size;
      // Garbage over a whole page past the header: the b-tree pages no longer parse.
      const fd = openSync(corrupt, 'r+');
      writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
      expect(() => openSqliteEventStore({ file: corrupt, integrityCheck: 'always' })).toThrow(new RegExp(`${escape(corrupt)} failed its integrity check`));
      // After an unclean stop (a write-ahead log left beside it) the check runs without being asked.
      writeFileSync(`${corrupt}-wal`, '');
      expect(() => openSqliteEventStore({ file: corrupt })).toThrow(new RegExp(`${escape(corrupt)} failed its integrity check`));
      expect(readFileSync(file).length).toBe(size);
    });

    it('skips the whole-file integrity check at an open after a clean stop, unless asked', async () => {
      const file = tempFile();
      const store = open({ file });
      await store.append('order-1', [event()], 'no_stream');
      await store.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
      const logged: string[] = [];
      const logger = { debug: () => undefined, info: (message: string) => logged.push(message), warn: () => undefined, error: () => undefined };
      const reopened = openSqliteEventStore({ file, logger });
      await reopened.close();
      expect(logged).not.toContain('Event store integrity checked');
      const checked = openSqliteEventStore({ file, logger, integrityCheck: 'always' });
      await checked.close();
      expect(logged).toContain('Event store integrity checked');
    });

    it('refuses a file written by a newer schema', () => {
      const file = tempFile();
      const db = new Database(file);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      expect(() => openSqliteEventStore({ file })).toThrow(new RegExp(`${escape(file)} has schema version ${SCHEMA_VERSION + 1}`));
    });

    it('records recordedAt from its clock', async () => {
      const store = open({ clock: () => new Date('2026-01-02T03:04:05.678Z') });
      await store.append('order-1', [event()], 'no_stream');
      expect((await store.readStream('order-1'))[0]!.recordedAt).toBe('2026-01-02T03:04:05.678Z');
    });
  });

  describe('group commit', () => {
    it('commits appends that arrive in the same turn in one transaction, each checked on its own', async () => {
      const commits: number[] = [];
      const store = open({ onCommit: (appends) => commits.push(appends) });
      const results = await Promise.allSettled([
        ...Array.from({ length: 50 }, (_, i) => store.append(`order-${i}`, [event()], 'no_stream')),
        store.append('order-0', [event()], 'no_stream'),
      ]);
      expect(results.slice(0, 50).every((r) => r.status === 'fulfilled')).toBe(true);
      expect((results[50] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(commits).toEqual([51]);
      expect(await store.readStream('order-0')).toHaveLength(1);
    });

    it('lets appends to one stream in the same transaction see each other, in arrival order', async () => {
      const commits: number[] = [];
      const store = open({ onCommit: (appends) => commits.push(appends) });
      const results = await Promise.all([
        store.append('order-1', [event()], 'no_stream'),
        store.append('order-1', [event(), event()], 0n),
        store.append('order-1', [event()], 2n),
      ]);
      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 2n, 3n]);
      expect(commits).toEqual([3]);
    });

    it('caps a transaction at maxBatchEvents, giving an oversized append a transaction of its own', async () => {
      const commits: number[] = [];
      const store = open({ maxBatchEvents: 10, onCommit: (appends) => commits.push(appends) });
      await Promise.all([
        ...Array.from({ length: 25 }, (_, i) => store.append(`order-${i}`, [event()], 'no_stream')),
        store.append(
          'big',
          Array.from({ length: 12 }, () => event()),
          'no_stream',
        ),
      ]);
      expect(commits).toEqual([10, 10, 5, 1]);
      expect(await store.readStream('big')).toHaveLength(12);
    });

    it('never starves the event loop: writers that append again as soon as they are answered still let timers and I/O run', async () => {
      // Found by the append benchmark (16 writers × 100 events): a full batch used to be committed
      // inside append() itself, so its answers re-entered append() from microtasks, forever.
      const store = open({ maxBatchEvents: 500 });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const ticksSeen: number[] = [];
      const writer = async (w: number) => {
        for (let n = 0; n < 20; n++) {
          await store.append(
            `order-${w}`,
            Array.from({ length: 100 }, () => event()),
            n === 0 ? 'no_stream' : BigInt(n * 100 - 1),
          );
        }
        ticksSeen.push(ticks);
      };
      await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)));
      clearInterval(timer);
      expect((await store.readAll({ maxCount: 100_000 })).length).toBe(16 * 20 * 100);
      // Timers ran while the writers were still writing (the first writer to finish had seen some).
      expect(Math.min(...ticksSeen)).toBeGreaterThan(0);
    });

    it('fails only the append whose event id is already recorded in another stream', async () => {
      const store = open();
      const taken = event();
      await store.append('order-1', [taken], 'no_stream');
      const results = await Promise.allSettled([
        store.append('order-2', [event()], 'no_stream'),
        store.append('order-3', [event(), taken], 'no_stream'),
        store.append('order-3', [taken], 'no_stream'),
        store.append('order-4', [event()], 'no_stream'),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error(`Event id ${taken.eventId} is already recorded in another stream than order-3`));
      expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/already recorded in another stream/);
      expect(await store.readStream('order-3')).toEqual([]);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['order-1', 'order-2', 'order-4']);
    });

    it('answers a retry that arrives in the same transaction as the original with the original result', async () => {
      const store = open();
      const events = [event(), event()];
      const [first, retry] = await Promise.all([store.append('order-1', events, 'no_stream'), store.append('order-1', events, 'no_stream')]);
      expect(retry).toEqual(first);
      expect(await store.readStream('order-1')).toHaveLength(2);
    });

    it('rejects the whole transaction with EventStoreUnavailableError when the disk is full, and recovers', async () => {
      const store = open();
      await store.append('order-0', [event()], 'no_stream');
      // Fault injection: cap the file at its current size, as a full disk would.
      const db = (store as unknown as { db: Database.Database }).db;
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages}`);
      const big = (): NewEvent => ({ ...event(), data: { blob: 'x'.repeat(64 * 1024) } });
      const results = await Promise.allSettled([store.append('order-1', [big()], 'no_stream'), store.append('order-2', [event()], 'no_stream')]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const reason = (result as PromiseRejectedResult).reason as EventStoreUnavailableError;
        expect(reason).toBeInstanceOf(EventStoreUnavailableError);
        expect(reason.message).toMatch(/database or disk is full/);
      }
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['order-0']);
      db.pragma('max_page_count = 1073741823');
      await expect(store.append('order-1', [big()], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
    });
  });

  describe('appends', () => {
    it('refuses data that is not JSON, duplicate ids within an append and empty appends', async () => {
      const store = open();
      await expect(store.append('s', [{ ...event(), data: { amount: 1n } }], 'any')).rejects.toThrow('The data of event Happened');
      await expect(store.append('s', [{ ...event(), data: { amount: 1n } }], 'any')).rejects.toThrow(/BigInt values as strings/);
      await expect(store.append('s', [{ ...event(), data: undefined }], 'any')).rejects.toBeInstanceOf(TypeError);
      const twice = event();
      await expect(store.append('s', [twice, twice], 'any')).rejects.toThrow(/appears twice/);
      await expect(store.append('s', [], 'any')).rejects.toBeInstanceOf(TypeError);
      expect(await store.readAll()).toEqual([]);
    });
  });

  describe('close', () => {
    it('commits appends still queued, then refuses appends, reads and subscriptions', async () => {
      const file = tempFile();
      const store = open({ file });
      const pending = store.append('order-1', [event()], 'no_stream');
      await store.close();
      await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0n });
      await expect(store.append('order-1', [event()], 0n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('order-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(() => store.subscribe(() => undefined)).toThrow(EventStoreUnavailableError);
      const reopened = open({ file });
      expect(await reopened.readStream('order-1')).toHaveLength(1);
    });

    it('stops its subscriptions after the batch in progress', async () => {
      const store = open();
      await store.append('order-1', [event()], 'no_stream');
      let finished = false;
      const subscription = store.subscribe(async () => {
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
      });
      await new Promise((r) => setImmediate(r));
      await store.close();
      expect(finished).toBe(true);
      await expect(subscription.closed).resolves.toBeUndefined();
    });
  });

  describe('another process on the same file', () => {
    it('sees events written by the other instance through polling, exactly once and in order', async () => {
      const file = tempFile();
      const writer = open({ file });
      const reader = open({ file, pollIntervalMs: 20 });
      await writer.append('order-1', [event('Before')], 'no_stream');
      const seen: RecordedEvent[] = [];
      const subscription = reader.subscribe((events) => {
        seen.push(...events);
      });
      for (let i = 0; i < 10; i++) await writer.append(`order-${i + 2}`, [event('After'), event('After')], 'no_stream');
      for (let i = 0; i < 200 && seen.length < 21; i++) await new Promise((r) => setTimeout(r, 20));
      await subscription.stop();
      expect(seen.map((e) => e.position.commit)).toEqual(Array.from({ length: 21 }, (_, i) => BigInt(i + 1)));
    });

    it("finds the other instance's commits while this one keeps answering idempotent retries (found by review)", async () => {
      const file = tempFile();
      const local = open({ file, pollIntervalMs: 50 });
      const other = open({ file, pollIntervalMs: 50 });
      const seen: RecordedEvent[] = [];
      const subscription = local.subscribe((events) => void seen.push(...events));
      const first = event();
      await local.append('order-1', [first], 'no_stream');
      for (let i = 0; i < 200 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
      await other.append('order-2', [event()], 'no_stream');
      // Retries commit nothing new; they must not keep the subscription from polling.
      for (let i = 0; i < 100 && seen.length < 2; i++) {
        await local.append('order-1', [first], 'no_stream');
        await new Promise((r) => setTimeout(r, 10));
      }
      await subscription.stop();
      expect(seen.map((e) => e.streamId)).toEqual(['order-1', 'order-2']);
    });

    it('serialises appends from both instances on the expected revision', async () => {
      const file = tempFile();
      const one = open({ file });
      const two = open({ file });
      await one.append('order-1', [event()], 'no_stream');
      const results = await Promise.allSettled([one.append('order-1', [event()], 0n), two.append('order-1', [event()], 0n)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await two.readStream('order-1')).toHaveLength(2);
    });
  });
});
