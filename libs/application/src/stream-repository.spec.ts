import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '@csp/domain';
import { type EventStore } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { StreamRepository, type StreamModel } from './stream-repository';

type Counted = DomainEvent<'Counted', { by: number }>;
const counter: StreamModel<number, Counted> = { initialState: 0, evolve: (total, event) => total + event.data.by };
const metadata = () => ({ occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 });
const add = (by: number) => (): Counted[] => [{ type: 'Counted', data: { by } }];

/** The SQLite store, counting stream reads. */
function countingStore() {
  const store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-repo-')), 'events.sqlite') });
  let reads = 0;
  const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
    readStream: (...args: Parameters<EventStore['readStream']>) => (reads++, store.readStream(...args)),
  });
  return { store: counted, reads: () => reads, close: () => store.close() };
}

describe('StreamRepository', () => {
  it('reads the stream to decide, and only what was appended since when it has the state cached', async () => {
    const { store, reads, close } = countingStore();
    const repository = new StreamRepository(store);
    await repository.execute('counter-1', counter, add(2), { metadata });
    await store.append('counter-1', [{ eventId: randomUUID(), type: 'Counted', data: { by: 5 }, metadata: metadata() }], 0n);
    const loaded = await repository.load('counter-1', counter);
    expect(loaded).toEqual({ state: 7, revision: 1n });
    expect(reads()).toBe(2);
    await close();
  });

  it('decides on a state the caller already holds without reading the stream again', async () => {
    const { store, reads, close } = countingStore();
    const repository = new StreamRepository(store);
    const fresh = await repository.execute('counter-2', counter, add(3), { metadata, assume: { state: 0, revision: 'no_stream' } });
    expect(fresh.state).toBe(3);
    const loaded = await repository.load('counter-2', counter);
    const next = await repository.execute('counter-2', counter, add(4), { metadata, assume: loaded });
    expect(next).toMatchObject({ state: 7, revision: 1n });
    expect(reads()).toBe(1);
    await close();
  });

  it('pays for a stale assumption with one conflict and a reload, never with a lost event', async () => {
    const { store, close } = countingStore();
    const repository = new StreamRepository(store);
    await repository.execute('counter-3', counter, add(1), { metadata });
    const stale = await repository.load('counter-3', counter);
    // Another replica appends in between.
    await store.append('counter-3', [{ eventId: randomUUID(), type: 'Counted', data: { by: 10 }, metadata: metadata() }], 0n);
    const decidedOn: number[] = [];
    const result = await repository.execute(
      'counter-3',
      counter,
      (state) => {
        decidedOn.push(state);
        return add(100)();
      },
      { metadata, assume: stale },
    );
    expect(decidedOn).toEqual([1, 11]);
    expect(result).toMatchObject({ state: 111, revision: 2n });
    expect((await store.readStream('counter-3')).map((e) => (e.data as { by: number }).by)).toEqual([1, 10, 100]);
    // A new stream assumed new, which is not: the same.
    const assumedNew = await repository.execute('counter-3', counter, add(1000), { metadata, assume: { state: 0, revision: 'no_stream' } });
    expect(assumedNew).toMatchObject({ state: 1111, revision: 3n });
    await close();
  });
});

describe('StreamRepository with a model that folds', () => {
  it('folds a long stream at once, with the same result as evolving event by event', async () => {
    const { store, close } = countingStore();
    let folds = 0;
    const folding: StreamModel<number, Counted> = {
      ...counter,
      fold: (total, events) => (folds++, events.reduce(counter.evolve, total)),
    };
    const events = Array.from({ length: 2_500 }, (_, i) => ({ eventId: randomUUID(), type: 'Counted', data: { by: i }, metadata: metadata() }));
    await store.append('counter-long', events, 'no_stream');
    const loaded = await new StreamRepository(store).load('counter-long', folding);
    expect(loaded).toEqual({ state: (2_499 * 2_500) / 2, revision: 2_499n });
    // Read in pages of 1,000, folded once: not 2,500 evolves.
    expect(folds).toBe(1);
    await close();
  });
});

describe('StreamRepository cache', () => {
  it('keeps the streams in use, drops the ones not used for a while, and never holds more than its limit', async () => {
    const { store, reads, close } = countingStore();
    const repository = new StreamRepository(store, 10);
    // The private cache, looked into through the one method the repository uses.
    const { cache: state } = repository as unknown as { cache: { get(id: string): unknown } };
    const streams = ['counter-hot', ...Array.from({ length: 50 }, (_, i) => `counter-${i}`)];
    const cache = {
      has: (id: string) => state.get(id) !== undefined,
      get size() {
        return streams.filter(cache.has).length;
      },
    };
    await repository.execute('counter-hot', counter, add(1), { metadata });
    const readsBefore = reads();
    for (let i = 0; i < 50; i++) {
      await repository.execute(`counter-${i}`, counter, add(1), { metadata, assume: { state: 0, revision: 'no_stream' } });
      // Like a partner's registry: used by every command, so never evicted.
      expect(cache.has('counter-hot')).toBe(true);
      await repository.load('counter-hot', counter);
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(reads() - readsBefore).toBe(50);
    expect(cache.has('counter-hot')).toBe(true);
    expect(cache.has('counter-49')).toBe(true);
    expect(cache.has('counter-0')).toBe(false);
    // An evicted stream is read again from the store, whole and correct.
    expect(await repository.load('counter-0', counter)).toEqual({ state: 1, revision: 0n });
    await close();
  });
});
