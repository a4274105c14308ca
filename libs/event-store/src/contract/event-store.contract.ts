import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  START,
  WrongExpectedRevisionError,
  type DataIndex,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../port';

export interface OpenedStore {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/** What the suite asks of the store it opens: the data indexes to keep, for an adapter that keeps them. */
export interface ContractStoreOptions {
  readonly indexes: readonly DataIndex[];
}

/** The suite's data index: two event types whose key and instant sit at different paths. */
const CONTRACT_INDEX: DataIndex = {
  name: 'contract_by_owner',
  fields: { ContractAccessA: { key: 'owner', at: 'at' }, ContractAccessB: { key: 'by.sub', at: 'when' } },
};

/**
 * The behaviour every EventStore adapter must have. Each test uses streams named after a fresh
 * UUID, and global reads filter on that prefix, so the suite also runs on a shared server whose
 * log already holds other events. `dataIndexes`: the adapter keeps the data indexes it is opened
 * with (readIndexed); without, it must not offer readIndexed, so that callers read with readAll.
 */
export function eventStoreContract(
  adapterName: string,
  open: (options: ContractStoreOptions) => Promise<OpenedStore>,
  capabilities: { readonly dataIndexes?: boolean } = {},
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let opened: OpenedStore;
    let store: EventStore;
    let prefix: string;
    const stream = (name: string) => `${prefix}${name}`;
    const event = (type = 'Happened', data: unknown = { n: 1 }): NewEvent => ({
      eventId: randomUUID(),
      type,
      data,
      metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
    });
    const mine = { streamPrefixes: [] as string[] };

    beforeEach(async () => {
      opened = await open({ indexes: [CONTRACT_INDEX] });
      store = opened.store;
      prefix = `t${randomUUID().replace(/-/g, '')}-`;
      mine.streamPrefixes = [prefix];
    });
    afterEach(async () => {
      await opened.dispose();
    });

    const expectWrongRevision = async (promise: Promise<unknown>, streamId: string, expected: ExpectedRevision, actual: bigint | 'no_stream') => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId, expected, actual });
    };
    const countMine = async () => (await store.readAll({ filter: mine, maxCount: 10_000 })).length;

    describe('append', () => {
      it('creates a stream with no_stream and numbers revisions from 0', async () => {
        const result = await store.append(stream('a'), [event(), event(), event()], 'no_stream');
        expect(result.nextExpectedRevision).toBe(2n);
        const events = await store.readStream(stream('a'));
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(comparePositions(result.position, events[2]!.position)).toBe(0);
      });

      it('reads a stream backwards: newest first, from a revision, a number of events', async () => {
        const written = [event(), event(), event(), event(), event()];
        await store.append(stream('a'), written, 'no_stream');
        const revisions = (events: RecordedEvent[]) => events.map((e) => e.revision);
        expect(revisions(await store.readStream(stream('a'), { direction: 'backwards' }))).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect((await store.readStream(stream('a'), { direction: 'backwards', maxCount: 1 }))[0]!.eventId).toBe(written[4]!.eventId);
        expect(revisions(await store.readStream(stream('a'), { direction: 'backwards', fromRevision: 2n, maxCount: 2 }))).toEqual([2n, 1n]);
        expect(revisions(await store.readStream(stream('a'), { direction: 'forwards', fromRevision: 3n }))).toEqual([3n, 4n]);
        expect(await store.readStream(stream('missing'), { direction: 'backwards' })).toEqual([]);
      });

      it('appends to several streams in the order given with appendInOrder, where the store has it', async () => {
        // Without it (KurrentDB), a copy appends one by one.
        if (!store.appendInOrder) return;
        const [a1, a2, b1, a3] = [event(), event(), event(), event()];
        const appends = [
          { streamId: stream('a'), events: [a1!, a2!], expectedRevision: 'no_stream' as const },
          { streamId: stream('b'), events: [b1!], expectedRevision: 'no_stream' as const },
          { streamId: stream('a'), events: [a3!], expectedRevision: 1n },
        ];
        const results = await store.appendInOrder(appends);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 0n, 2n]);
        const all = await store.readAll({ filter: mine });
        expect(all.map((e) => e.eventId)).toEqual([a1, a2, b1, a3].map((e) => e!.eventId));
        expect(all.map((e) => `${e.streamId.slice(prefix.length)}@${e.revision}`)).toEqual(['a@0', 'a@1', 'b@0', 'a@2']);
        expect(comparePositions(results[2]!.position, all[3]!.position)).toBe(0);
        // Retried, the same appends answer as before and write nothing; a wrong revision is refused as append refuses it.
        expect((await store.appendInOrder(appends)).map((r) => formatPosition(r.position))).toEqual(results.map((r) => formatPosition(r.position)));
        expect(await countMine()).toBe(4);
        await expectWrongRevision(
          store.appendInOrder([{ streamId: stream('b'), events: [event()], expectedRevision: 'no_stream' }]),
          stream('b'),
          'no_stream',
          0n,
        );
        // An event id another stream holds, as the first event of an append or a later one: refused, that stream not written.
        for (const events of [[a1!], [event(), b1!]])
          await expect(store.appendInOrder([{ streamId: stream('c'), events, expectedRevision: 'no_stream' }])).rejects.toThrow(
            /already recorded in another stream/,
          );
        expect(await store.readStream(stream('c'))).toEqual([]);
        expect(await countMine()).toBe(4);
      });

      it('appends at the expected revision, with any, and with stream_exists', async () => {
        await store.append(stream('a'), [event()], 'no_stream');
        expect((await store.append(stream('a'), [event()], 0n)).nextExpectedRevision).toBe(1n);
        expect((await store.append(stream('a'), [event()], 'any')).nextExpectedRevision).toBe(2n);
        expect((await store.append(stream('a'), [event()], 'stream_exists')).nextExpectedRevision).toBe(3n);
        expect((await store.append(stream('b'), [event()], 'any')).nextExpectedRevision).toBe(0n);
      });

      it('refuses every mismatched expectation with WrongExpectedRevisionError and writes nothing', async () => {
        const a = stream('a');
        const missing = stream('missing');
        await store.append(a, [event(), event()], 'no_stream');
        await expectWrongRevision(store.append(a, [event()], 'no_stream'), a, 'no_stream', 1n);
        await expectWrongRevision(store.append(a, [event()], 0n), a, 0n, 1n);
        await expectWrongRevision(store.append(a, [event()], 5n), a, 5n, 1n);
        await expectWrongRevision(store.append(missing, [event()], 'stream_exists'), missing, 'stream_exists', 'no_stream');
        await expectWrongRevision(store.append(missing, [event()], 0n), missing, 0n, 'no_stream');
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(missing)).toEqual([]);
        expect(await countMine()).toBe(2);
      });

      it('writes a multi-event append atomically and contiguously in the global order', async () => {
        const result = await store.append(stream('a'), [event('A'), event('B'), event('C')], 'no_stream');
        const all = await store.readAll({ filter: mine });
        expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C']);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
        expect(comparePositions(all[2]!.position, result.position)).toBe(0);
        await expectWrongRevision(store.append(stream('a'), [event('D'), event('E')], 0n), stream('a'), 0n, 2n);
        expect(await store.readStream(stream('a'))).toHaveLength(3);
      });

      it('never interleaves the events of concurrent multi-event appends', async () => {
        await Promise.all(
          Array.from({ length: 8 }, (_, s) =>
            store.append(
              stream(`m${s}`),
              Array.from({ length: 4 }, (_, i) => event('N', { s, i })),
              'no_stream',
            ),
          ),
        );
        const all = await store.readAll({ filter: mine });
        expect(all).toHaveLength(32);
        for (let at = 0; at < all.length; at += 4) {
          const group = all.slice(at, at + 4);
          expect(new Set(group.map((e) => e.streamId)).size).toBe(1);
          expect(group.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
        }
      });

      it('is idempotent: the same event ids at the same expectation answer as before and write nothing', async () => {
        const created = [event(), event()];
        const first = await store.append(stream('a'), created, 'no_stream');
        const again = await store.append(stream('a'), created, 'no_stream');
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(again.position, first.position)).toBe(0);

        const appended = [event(), event()];
        const second = await store.append(stream('a'), appended, 1n);
        await store.append(stream('a'), [event()], 3n);
        const retried = await store.append(stream('a'), appended, 1n);
        expect(retried.nextExpectedRevision).toBe(3n);
        expect(comparePositions(retried.position, second.position)).toBe(0);
        expect(await store.readStream(stream('a'))).toHaveLength(5);
        expect(await countMine()).toBe(5);
      });

      it('refuses a retry whose event ids only partly match what was written', async () => {
        const [e1, e2] = [event(), event()];
        await store.append(stream('a'), [e1, e2], 'no_stream');
        await expectWrongRevision(store.append(stream('a'), [e1, event()], 'no_stream'), stream('a'), 'no_stream', 1n);
        expect((await store.readStream(stream('a'))).map((e) => e.eventId)).toEqual([e1.eventId, e2.eventId]);
      });

      it('lets exactly one of two concurrent appends at the same revision win', async () => {
        await store.append(stream('a'), [event()], 'no_stream');
        const results = await Promise.allSettled([store.append(stream('a'), [event()], 0n), store.append(stream('a'), [event()], 0n)]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream('a'))).toHaveLength(2);
      });

      it('lets exactly one of many concurrent creators of a stream win', async () => {
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.append(stream('new'), [event()], 'no_stream')));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      });
    });

    describe('read', () => {
      it('round-trips data and metadata exactly', async () => {
        const data = {
          text: 'Überprüfung — ключ 🔑 "quotes" \\ \n\u0000 中文',
          nested: { list: [1, -2.5, null, true, false, [], ''], deeper: { still: { deeper: 'yes' } } },
          big: '9007199254740993',
          largestSafe: Number.MAX_SAFE_INTEGER,
          minorUnits: -123456789,
          empty: {},
        };
        const written = event('Unicode', data);
        await store.append(stream('u'), [written], 'no_stream');
        const [read] = await store.readStream(stream('u'));
        expect(read).toEqual(
          expect.objectContaining({ eventId: written.eventId, type: 'Unicode', streamId: stream('u'), revision: 0n, data, metadata: written.metadata }),
        );
        expect(Number.isFinite(Date.parse(read!.recordedAt))).toBe(true);
      });

      it('reads a stream from a revision and up to a count', async () => {
        await store.append(
          stream('a'),
          Array.from({ length: 5 }, (_, i) => event('N', { i })),
          'no_stream',
        );
        expect((await store.readStream(stream('a'), { fromRevision: 2n })).map((e) => (e.data as { i: number }).i)).toEqual([2, 3, 4]);
        expect((await store.readStream(stream('a'), { fromRevision: 1n, maxCount: 2 })).map((e) => e.revision)).toEqual([1n, 2n]);
        expect((await store.readStream(stream('a'), { maxCount: 1 })).map((e) => e.revision)).toEqual([0n]);
        expect(await store.readStream(stream('a'), { fromRevision: 5n })).toEqual([]);
      });

      it('pages through the global log strictly after a position', async () => {
        for (let i = 0; i < 5; i++) await store.append(stream(`s${i}`), [event('N', { i })], 'no_stream');
        const first = await store.readAll({ filter: mine, maxCount: 2 });
        expect(first.map((e) => (e.data as { i: number }).i)).toEqual([0, 1]);
        const next = await store.readAll({ filter: mine, after: first[1]!.position, maxCount: 10 });
        expect(next.map((e) => (e.data as { i: number }).i)).toEqual([2, 3, 4]);
        expect(await store.readAll({ filter: mine, after: next[2]!.position })).toEqual([]);
      });

      it('filters by stream prefix and by event type', async () => {
        await store.append(stream('order-1'), [event('Bought'), event('Cancelled')], 'no_stream');
        await store.append(stream('customer-1'), [event('Registered')], 'no_stream');
        const orders = await store.readAll({ filter: { streamPrefixes: [stream('order-')] } });
        expect(orders.map((e) => e.type)).toEqual(['Bought', 'Cancelled']);
        const cancelled = await store.readAll({ filter: { streamPrefixes: [prefix], eventTypes: ['Cancelled', 'Registered'] } });
        expect(cancelled.map((e) => e.type)).toEqual(['Cancelled', 'Registered']);
      });

      it('tells the head position', async () => {
        const result = await store.append(stream('a'), [event()], 'no_stream');
        expect(comparePositions(await store.headPosition(), result.position)).toBeGreaterThanOrEqual(0);
        expect(comparePositions(result.position, START)).toBe(1);
      });
    });

    describe('subscribe', () => {
      const collect = () => {
        const seen: RecordedEvent[] = [];
        const waiters: { count: number; resolve: () => void }[] = [];
        const handler = async (events: readonly RecordedEvent[]) => {
          seen.push(...events);
          for (const w of [...waiters]) if (seen.length >= w.count) w.resolve();
        };
        const until = (count: number, timeoutMs = 5000) =>
          new Promise<void>((resolve, reject) => {
            if (seen.length >= count) return resolve();
            const timer = setTimeout(() => reject(new Error(`saw ${seen.length} of ${count} events`)), timeoutMs);
            waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
          });
        return { seen, handler, until };
      };

      it('catches up with existing events, then follows new ones, in order and exactly once', async () => {
        await store.append(stream('a'), [event('N', { i: 0 }), event('N', { i: 1 })], 'no_stream');
        const c = collect();
        const subscription = store.subscribe(c.handler, { filter: mine });
        await c.until(2);
        await store.append(stream('a'), [event('N', { i: 2 })], 1n);
        await store.append(stream('b'), [event('N', { i: 3 })], 'no_stream');
        await c.until(4);
        await new Promise((r) => setTimeout(r, 300));
        await subscription.stop();
        expect(c.seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
      });

      it('delivers every event exactly once and in order while appends race with the catch-up', async () => {
        const writes = (from: number) => Array.from({ length: 20 }, (_, i) => store.append(stream(`r${from + i}`), [event('N'), event('N')], 'no_stream'));
        const before = Promise.all(writes(0));
        const c = collect();
        const subscription = store.subscribe(c.handler, { filter: mine, batchSize: 3 });
        const during = Promise.all(writes(20));
        await Promise.all([before, during]);
        await Promise.all(writes(40));
        await c.until(120);
        await new Promise((r) => setTimeout(r, 300));
        await subscription.stop();
        expect(c.seen).toHaveLength(120);
        expect(new Set(c.seen.map((e) => e.eventId)).size).toBe(120);
        for (let i = 1; i < c.seen.length; i++) expect(comparePositions(c.seen[i - 1]!.position, c.seen[i]!.position)).toBe(-1);
        expect(c.seen.map((e) => e.eventId)).toEqual((await store.readAll({ filter: mine, maxCount: 1000 })).map((e) => e.eventId));
      });

      it('starts strictly after the given position and respects the filter', async () => {
        await store.append(stream('a'), [event('Skip'), event('Keep')], 'no_stream');
        const [skipped] = await store.readStream(stream('a'));
        await store.append(stream('other'), [event('Ignored')], 'no_stream');
        const c = collect();
        const subscription = store.subscribe(c.handler, { after: skipped!.position, filter: { streamPrefixes: [stream('a')] } });
        await c.until(1);
        await store.append(stream('a'), [event('Live')], 1n);
        await c.until(2);
        await subscription.stop();
        expect(c.seen.map((e) => e.type)).toEqual(['Keep', 'Live']);
      });

      it('does not deliver the next batch before the handler has finished the previous one', async () => {
        await store.append(
          stream('a'),
          Array.from({ length: 6 }, (_, i) => event('N', { i })),
          'no_stream',
        );
        let inFlight = 0;
        let maxInFlight = 0;
        let delivered = 0;
        let largestBatch = 0;
        const done = new Promise<void>((resolve) => {
          const subscription = store.subscribe(
            async (events) => {
              largestBatch = Math.max(largestBatch, events.length);
              inFlight++;
              maxInFlight = Math.max(maxInFlight, inFlight);
              await new Promise((r) => setTimeout(r, 20));
              delivered += events.length;
              inFlight--;
              if (delivered >= 6) void subscription.stop().then(resolve);
            },
            { filter: mine, batchSize: 2 },
          );
        });
        await done;
        expect(maxInFlight).toBe(1);
        expect(largestBatch).toBeLessThanOrEqual(2);
        expect(delivered).toBe(6);
      });

      it('stops on a handler error and reports it through closed', async () => {
        await store.append(stream('a'), [event(), event()], 'no_stream');
        let calls = 0;
        const subscription = store.subscribe(
          () => {
            calls++;
            throw new Error('poison');
          },
          { filter: mine, batchSize: 1 },
        );
        await expect(subscription.closed).rejects.toThrow('poison');
        await store.append(stream('a'), [event()], 1n);
        await new Promise((r) => setTimeout(r, 300));
        expect(calls).toBe(1);
        await subscription.stop();
      });

      it('stops delivering after stop()', async () => {
        const c = collect();
        const subscription = store.subscribe(c.handler, { filter: mine });
        await subscription.stop();
        await store.append(stream('a'), [event()], 'no_stream');
        await new Promise((r) => setTimeout(r, 300));
        expect(c.seen).toEqual([]);
        await expect(subscription.closed).resolves.toBeUndefined();
      });
    });

    describe('data indexes', () => {
      if (!capabilities.dataIndexes) {
        it('offers no indexed read, so that callers read the global log', () => {
          expect(store.readIndexed).toBeUndefined();
        });
        return;
      }
      const read = (options: Parameters<NonNullable<EventStore['readIndexed']>>[1], index = CONTRACT_INDEX) => store.readIndexed!(index, options);
      const ids = (events: readonly RecordedEvent[] | undefined) => events?.map((e) => (e.data as { i: number }).i);

      it('reads the events of one key in an instant range, of every type it covers, in global order', async () => {
        const owner = randomUUID();
        const other = randomUUID();
        await store.append(stream('a'), [event('ContractAccessA', { i: 0, owner, at: '2026-03-01T10:00:00.000Z' })], 'no_stream');
        await store.append(stream('b'), [event('ContractAccessB', { i: 1, by: { sub: owner }, when: '2026-03-02T10:00:00.000Z' })], 'no_stream');
        await store.append(stream('a'), [event('ContractAccessA', { i: 2, owner: other, at: '2026-03-02T10:00:00.000Z' })], 0n);
        // Not covered: the type, or the key at another type's path.
        await store.append(stream('c'), [event('Unindexed', { i: 3, owner, at: '2026-03-02T10:00:00.000Z' })], 'no_stream');
        await store.append(stream('c'), [event('ContractAccessB', { i: 4, owner, when: '2026-03-02T10:00:00.000Z' })], 0n);
        await store.append(stream('a'), [event('ContractAccessA', { i: 5, owner, at: '2026-03-03T00:00:00.000Z' })], 1n);
        await store.append(stream('b'), [event('ContractAccessB', { i: 6, by: { sub: owner }, when: '2026-02-28T23:59:59.999Z' })], 0n);
        expect(ids(await read({ key: owner, from: '2026-03-01', before: '2026-03-03' }))).toEqual([0, 1]);
        expect(ids(await read({ key: owner, from: '2026-02-28T23:59:59.999Z', before: '2026-03-03T00:00:00.001Z' }))).toEqual([0, 1, 5, 6]);
        expect(ids(await read({ key: other, from: '2026-03-01', before: '2026-03-03' }))).toEqual([2]);
        expect(await read({ key: randomUUID(), from: '2026-03-01', before: '2026-03-03' })).toEqual([]);
      });

      it('pages strictly after a position, up to a count, and sees what is appended later', async () => {
        const owner = randomUUID();
        for (let i = 0; i < 5; i++)
          await store.append(stream(`s${i}`), [event('ContractAccessA', { i, owner, at: `2026-03-0${i + 1}T00:00:00.000Z` })], 'no_stream');
        const range = { key: owner, from: '2026-03-01', before: '2026-04-01' };
        const first = (await read({ ...range, maxCount: 2 }))!;
        expect(ids(first)).toEqual([0, 1]);
        const rest = (await read({ ...range, after: first[1]!.position, maxCount: 10 }))!;
        expect(ids(rest)).toEqual([2, 3, 4]);
        expect(await read({ ...range, after: rest[2]!.position })).toEqual([]);
        await store.append(stream('s0'), [event('ContractAccessA', { i: 5, owner, at: '2026-03-31T23:00:00.000Z' })], 0n);
        expect(ids(await read({ ...range, after: rest[2]!.position }))).toEqual([5]);
      });

      it('answers undefined for an index it does not keep', async () => {
        const undeclared: DataIndex = { name: 'contract_undeclared', fields: { ContractAccessA: { key: 'at', at: 'owner' } } };
        expect(await read({ key: 'x', from: '2026', before: '2027' }, undeclared)).toBeUndefined();
      });

      it('refuses a definition that is not plain names', async () => {
        const hostile: DataIndex = { name: 'x', fields: { "A' OR 1=1 --": { key: 'owner', at: 'at' } } };
        await expect(Promise.resolve().then(() => read({ key: 'x', from: '2026', before: '2027' }, hostile))).rejects.toThrow(/not an event type name/);
      });
    });

    it('formats and parses positions', async () => {
      const { position } = await store.append(stream('a'), [event()], 'no_stream');
      expect(parsePosition(formatPosition(position))).toEqual(position);
      expect(parsePosition('12/7')).toEqual({ commit: 12n, prepare: 7n });
      expect(parsePosition('x')).toBeUndefined();
    });
  });
}
