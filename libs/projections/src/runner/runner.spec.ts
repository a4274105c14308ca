import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, parsePosition, type EventStore, type NewEvent, type RecordedEvent } from '@csp/event-store';
import type { Projection } from '../projection';
import { MemoryReadModelStore } from '../store/memory-store';
import type { ReadModelStore } from '../store/port';
import { ProjectionRunner } from './projection-runner';
import { rebuildReadModel } from './rebuild';

const event = (type = 'Counted', data: unknown = {}): NewEvent => ({ eventId: randomUUID(), type, data, metadata: { occurredAt: new Date().toISOString(), correlationId: 'c', schemaVersion: 1 } });

/** Counts every event it is given: applying one twice, or skipping one, shows in the count. */
const counter: Projection = {
  name: 'counter',
  eventTypes: new Set(['Counted', 'Poison']),
  reads: () => ['count'],
  apply(e: RecordedEvent, docs) {
    if (e.type === 'Poison') throw new Error('cannot project this');
    const current = (docs.get('count') as { n: number; ids: string[] } | undefined) ?? { n: 0, ids: [] };
    return [{ op: 'put', key: 'count', value: { n: current.n + 1, ids: [...current.ids, e.eventId] } }];
  },
};

let eventStore: EventStore;
let store: ReadModelStore;
const runners: ProjectionRunner[] = [];
const runner = (over: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) => {
  const r = new ProjectionRunner({ projection: counter, eventStore, store, streamPrefixes: ['order-'], retryDelayMs: 20, ...over });
  runners.push(r);
  return r;
};
const count = async (generation?: number) => ((await store.get({ model: 'counter', generation: generation ?? (await store.currentGeneration('counter')) }, 'count')) as { n: number } | undefined)?.n ?? 0;
const appendOrders = async (n: number) => {
  let last;
  for (let i = 0; i < n; i++) last = await eventStore.append(`order-${randomUUID()}`, [event()], 'no_stream');
  return last!.position;
};

beforeEach(() => {
  eventStore = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-runner-')), 'events.sqlite'), pollIntervalMs: 20 });
  store = new MemoryReadModelStore();
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await eventStore.close();
});

describe('projection runner', () => {
  it('catches up, follows live appends, and lets readers wait for a position', async () => {
    await appendOrders(5);
    const r = runner();
    await r.start();
    const position = await appendOrders(3);
    expect(await r.waitFor(position, 5_000)).toBe(true);
    expect(await count()).toBe(8);
    expect(r.status()).toEqual(expect.objectContaining({ state: 'running', checkpoint: position.commit.toString() }));
  });

  it('moves its checkpoint past events of other types and other streams without applying them', async () => {
    await eventStore.append('customers-x', [event('Registered')], 'no_stream');
    const last = await eventStore.append('order-1', [event('SomethingElse'), event()], 'no_stream');
    const r = runner();
    await r.start();
    expect(await r.waitFor(last.position, 5_000)).toBe(true);
    expect(await count()).toBe(1);
  });

  it('resumes from its stored checkpoint: each event applied exactly once across restarts', async () => {
    await appendOrders(10);
    const first = runner();
    await first.start();
    await first.waitFor(await eventStore.headPosition(), 5_000);
    await first.stop();
    await appendOrders(5);
    const second = runner();
    await second.start();
    expect(await second.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    expect(await count()).toBe(15);
  });

  it('stops on a poison event, names it, and does not crash or skip it', async () => {
    await appendOrders(2);
    const poison = await eventStore.append('order-p', [event('Poison')], 'no_stream');
    await appendOrders(2);
    const r = runner();
    await r.start();
    expect(await r.waitFor(await eventStore.headPosition(), 2_000)).toBe(false);
    const status = r.status();
    expect(status.state).toBe('failed');
    expect(status.error).toContain('Poison');
    expect(status.error).toContain(`position ${poison.position.commit}`);
    expect(await count()).toBe(2);
  });

  it('recovers from a store outage by retrying from the stored checkpoint', async () => {
    let failures = 3;
    const flaky: ReadModelStore = Object.create(store);
    flaky.commit = async (ns, request) => {
      if (failures-- > 0) throw new Error('connection reset');
      return store.commit(ns, request);
    };
    await appendOrders(4);
    const r = runner({ store: flaky });
    await r.start();
    expect(await r.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    expect(await count()).toBe(4);
  });

  it('with leases, lets one of two projectors apply events while the other stands by', async () => {
    const a = runner({ leaseOwner: 'a', leaseTtlMs: 60_000 });
    const b = runner({ leaseOwner: 'b', leaseTtlMs: 60_000 });
    await a.start();
    await b.start();
    await appendOrders(20);
    expect(await a.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    expect(b.status().state).toBe('standby');
    expect(await count()).toBe(20);
  });

  it('follows a rebuild to the new generation without losing or repeating events', async () => {
    await appendOrders(30);
    const live = runner();
    await live.start();
    await live.waitFor(await eventStore.headPosition(), 5_000);
    const progress: number[] = [];
    const result = await rebuildReadModel({ eventStore, store, projection: counter, streamPrefixes: ['order-'], batchSize: 7, progressEveryMs: 0, onProgress: (p) => progress.push(p.events) });
    expect(result).toEqual(expect.objectContaining({ generation: 2, previousGeneration: 1, events: 30 }));
    expect(progress[progress.length - 1]).toBe(30);
    expect(await store.currentGeneration('counter')).toBe(2);
    expect(await count(1)).toBe(0); // the old generation is dropped
    const after = await appendOrders(5);
    expect(await live.waitFor(after, 5_000)).toBe(true);
    expect(await count(2)).toBe(35);
    expect(live.status().generation).toBe(2);
    expect(parsePosition(live.status().checkpoint!)).toEqual(after);
  });
});
