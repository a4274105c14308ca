import { randomUUID } from 'node:crypto';
import { formatPosition, parsePosition, type NewEvent, type RecordedEvent } from '@csp/event-store';
import type { Projection } from '../projection';
import { MemoryReadModelStore } from '../stores/memory-store';
import type { CommitRequest, Namespace, ReadModelStore } from '../stores/port';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { recordingLogger } from '../../../config/src/testing/recording-logger';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { rebuildReadModel } from './rebuild';

const event = (type = 'Counted', data: unknown = {}): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
});

/** Counts every event it is given and remembers which: applying one twice, or skipping one, shows. */
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

/** A store whose commits wait until the test lets them through. */
function gatedStore(inner: ReadModelStore) {
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const gated: ReadModelStore = Object.create(inner);
  gated.commit = async (ns: Namespace, request: CommitRequest) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((resolve) => waiting.push(resolve));
    await inner.commit(ns, request);
    inFlight--;
  };
  return {
    store: gated,
    maxInFlight: () => maxInFlight,
    pending: () => waiting.length,
    release: () => waiting.splice(0).forEach((go) => go()),
  };
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

let eventStore: InMemoryEventStore;
let store: ReadModelStore;
const runners: ProjectionRunner[] = [];
const runner = (over: Partial<ProjectionRunnerOptions> = {}) => {
  const r = new ProjectionRunner({ projection: counter, eventStore, store, streamPrefixes: ['order-'], retryDelayMs: 10, ...over });
  runners.push(r);
  return r;
};
const counted = async (generation?: number) =>
  ((await store.get({ model: 'counter', generation: generation ?? (await store.currentGeneration('counter')) }, 'count')) as
    { n: number; ids: string[] } | undefined) ?? { n: 0, ids: [] };
const appendOrders = async (n: number, type = 'Counted') => {
  let last;
  for (let i = 0; i < n; i++) last = await eventStore.append(`order-${randomUUID()}`, [event(type)], 'no_stream');
  return last!.position;
};

beforeEach(() => {
  eventStore = new InMemoryEventStore();
  store = new MemoryReadModelStore();
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await eventStore.close();
});

describe('projection runner', () => {
  it('catches up, follows live appends, and lets readers wait for a position', async () => {
    await appendOrders(5);
    const r = runner({ batchSize: 2 });
    await r.start();
    const position = await appendOrders(3);
    expect(await r.waitFor(position, 5_000)).toBe(true);
    expect((await counted()).n).toBe(8);
    expect(r.position()).toEqual(position);
    expect(r.status()).toEqual({ model: 'counter', generation: 1, state: 'running', checkpoint: formatPosition(position) });
  });

  it('skips event types it does not know and streams it does not follow, and still moves its checkpoint', async () => {
    const skipped = await eventStore.append('order-1', [event('SomethingElse'), event(), event('SomethingNewer')], 'no_stream');
    const r = runner();
    await r.start();
    expect(await r.waitFor(skipped.position, 5_000)).toBe(true);
    expect((await counted()).n).toBe(1);
    expect(await store.checkpoint({ model: 'counter', generation: 1 })).toBe(formatPosition(skipped.position));
    // The head of the log may be an event the read model does not follow: it has still applied everything up to it.
    const elsewhere = await eventStore.append('inventory-1', [event()], 'no_stream');
    expect(await r.waitFor(elsewhere.position, 1_000)).toBe(true);
  });

  it('resumes from its stored checkpoint: each event applied exactly once across restarts', async () => {
    await appendOrders(10);
    const first = runner({ batchSize: 3 });
    await first.start();
    await first.waitFor(await eventStore.headPosition(), 5_000);
    await first.stop();
    await appendOrders(5);
    const second = runner({ batchSize: 3 });
    await second.start();
    expect(await second.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    const { n, ids } = await counted();
    expect(n).toBe(15);
    expect(new Set(ids).size).toBe(15);
  });

  it('stops on a poison event with the event named in its status and its log, keeping what came before', async () => {
    const { logger, lines } = recordingLogger();
    await appendOrders(2);
    const poison = await eventStore.append('order-p', [event('Poison')], 'no_stream');
    await appendOrders(2);
    const r = runner({ logger });
    await r.start();
    await until(() => r.status().state === 'failed');
    const status = r.status();
    expect(status.error).toContain('Poison');
    expect(status.error).toContain(`position ${formatPosition(poison.position)}`);
    expect(status.error).toContain('cannot project this');
    // Everything before the poison event is applied and checkpointed; nothing after it is.
    expect((await counted()).n).toBe(2);
    expect(status.checkpoint).toBe(formatPosition({ commit: poison.position.commit - 1n, prepare: poison.position.prepare - 1n }));
    expect(lines.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('poison event'),
        fields: expect.objectContaining({ model: 'counter', eventType: 'Poison', streamId: 'order-p', position: formatPosition(poison.position) }),
      }),
    ]);
    // A reader does not wait out its timeout on a read model that has stopped.
    const started = Date.now();
    expect(await r.waitFor(await eventStore.headPosition(), 10_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await r.lag()).state).toBe('failed');
  });

  it('retries from the stored checkpoint when the store fails, logging each failure', async () => {
    const { logger, lines } = recordingLogger();
    let failures = 3;
    const flaky: ReadModelStore = Object.create(store);
    flaky.commit = async (ns, request) => {
      if (failures-- > 0) throw new Error('connection reset');
      return store.commit(ns, request);
    };
    await appendOrders(4);
    const r = runner({ store: flaky, logger });
    await r.start();
    expect(await r.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    expect((await counted()).n).toBe(4);
    expect(lines.filter((l) => l.level === 'warn').map((l) => [l.fields?.error, l.fields?.failures])).toEqual([
      ['connection reset', 1],
      ['connection reset', 2],
      ['connection reset', 3],
    ]);
  });

  it('lets the store push back: the next batch waits until the previous one is committed', async () => {
    const gate = gatedStore(store);
    await appendOrders(10);
    const r = runner({ store: gate.store, batchSize: 2 });
    await r.start();
    for (let batch = 0; batch < 5; batch++) {
      await until(() => gate.pending() === 1);
      gate.release();
    }
    expect(await r.waitFor(await eventStore.headPosition(), 5_000)).toBe(true);
    expect(gate.maxInFlight()).toBe(1);
  });

  it('stops gracefully: the batch in hand is committed with its checkpoint before stop() resolves', async () => {
    const gate = gatedStore(store);
    await appendOrders(6);
    const r = runner({ store: gate.store, batchSize: 4 });
    await r.start();
    await until(() => gate.pending() === 1);
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    gate.release();
    await stopping;
    expect(r.status().state).toBe('stopped');
    expect((await counted()).n).toBe(4);
    expect(parsePosition((await store.checkpoint({ model: 'counter', generation: 1 }))!)?.commit).toBe(4n);
  });

  it('reports its lag: checkpoint, head, events left', async () => {
    const gate = gatedStore(store);
    await appendOrders(5);
    await eventStore.append('inventory-1', [event()], 'no_stream');
    const r = runner({ store: gate.store, batchSize: 2 });
    await r.start();
    await until(() => gate.pending() === 1);
    expect(await r.lag()).toEqual({ model: 'counter', generation: 1, state: 'running', head: '6', lagEvents: 5, caughtUp: false });
    gate.release();
    await until(() => gate.pending() === 1);
    expect(await r.lag()).toEqual(expect.objectContaining({ checkpoint: '2', lagEvents: 3, caughtUp: false }));
    while (!(await r.lag()).caughtUp) {
      gate.release();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await r.lag()).toEqual(expect.objectContaining({ checkpoint: '5', head: '6', lagEvents: 0, caughtUp: true }));
  });

  it('with leases, lets one of two projectors apply events while the other stands by, then takes over', async () => {
    const a = runner({ leaseOwner: 'a', leaseTtlMs: 60_000 });
    const b = runner({ leaseOwner: 'b', leaseTtlMs: 300 });
    await a.start();
    await b.start();
    const first = await appendOrders(20);
    expect(await a.waitFor(first, 5_000)).toBe(true);
    expect(b.status().state).toBe('standby');
    // The standby follows the holder's progress through the store.
    expect(await b.waitFor(first, 1_000)).toBe(true);
    expect(await b.lag()).toEqual(expect.objectContaining({ state: 'standby', checkpoint: formatPosition(first), caughtUp: true }));
    await a.stop();
    const second = await appendOrders(5);
    expect(await b.waitFor(second, 5_000)).toBe(true);
    expect(b.status().state).toBe('running');
    const { n, ids } = await counted();
    expect(n).toBe(25);
    expect(new Set(ids).size).toBe(25);
  });

  it('follows a rebuild to the new generation without losing or repeating events', async () => {
    await appendOrders(30);
    const live = runner();
    await live.start();
    await live.waitFor(await eventStore.headPosition(), 5_000);
    const progress: number[] = [];
    const rebuilding = rebuildReadModel({
      eventStore,
      store,
      projection: counter,
      streamPrefixes: ['order-'],
      batchSize: 7,
      progressEveryMs: 0,
      dropAfterMs: 0,
      onProgress: (p) => progress.push(p.events),
    });
    // Appends during the rebuild reach the live generation now and the new one after the switch.
    const during = await appendOrders(3);
    const result = await rebuilding;
    expect(result).toEqual(expect.objectContaining({ generation: 2, previousGeneration: 1, done: true }));
    expect(progress[progress.length - 1]).toBe(result.events);
    expect(await store.currentGeneration('counter')).toBe(2);
    expect((await counted(1)).n).toBe(0);
    const after = await appendOrders(5);
    expect(await live.waitFor(after, 5_000)).toBe(true);
    expect(await live.waitFor(during, 5_000)).toBe(true);
    const { n, ids } = await counted(2);
    expect(n).toBe(38);
    expect(new Set(ids).size).toBe(38);
    expect(live.status()).toEqual(expect.objectContaining({ generation: 2, checkpoint: formatPosition(after) }));
  });
});
