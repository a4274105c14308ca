import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '../contract';
import { EventStoreUnavailableError, START, WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '../port';
import { normaliseConnectionString } from './client';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentClient } from './testing/fake-client';

const event = (type = 'Happened', data: unknown = { n: 1 }): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
});
const open = (client = new FakeKurrentClient()) => ({ client, store: new KurrentDbEventStore({ client, resubscribeDelayMs: { initial: 5, max: 20 } }) });

// The adapter's logic against the contract, over an in-memory client: NOT a KurrentDB server.
// The same suite runs against a real server in kurrentdb-event-store.contract.spec.ts where Docker exists.
eventStoreContract('kurrentdb adapter over an in-memory fake client', async () => {
  const { store } = open();
  return { store, dispose: () => store.close() };
});

describe('KurrentDB adapter', () => {
  it('passes expected revisions through as stream states and maps positions faithfully', async () => {
    const { client, store } = open();
    const result = await store.append('order-1', [event(), event()], 'no_stream');
    const stored = client.log[1]!;
    expect(result).toEqual({ nextExpectedRevision: 1n, position: { commit: stored.position.commit, prepare: stored.position.prepare } });
    expect(stored.position.commit).not.toBe(stored.position.prepare);
    const [read] = await store.readStream('order-1', { fromRevision: 1n });
    expect(read!.position).toEqual(result.position);
  });

  it('maps a wrong expected version to the port error with the actual revision', async () => {
    const { store } = open();
    await store.append('order-1', [event()], 'no_stream');
    await expect(store.append('order-1', [event()], 'no_stream')).rejects.toEqual(expect.objectContaining({ name: 'WrongExpectedRevisionError', actual: 0n }));
    const error = await store.append('order-2', [event()], 3n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect((error as WrongExpectedRevisionError).actual).toBe('no_stream');
  });

  it('maps an unreachable server to EventStoreUnavailableError', async () => {
    const { client, store } = open();
    client.unavailable = true;
    await expect(store.append('order-1', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('reads a missing stream as empty', async () => {
    expect(await open().store.readStream('order-none')).toEqual([]);
  });

  it('keeps KurrentDB system events away from readers', async () => {
    const { client, store } = open();
    client.writeSystemEvent();
    await store.append('order-1', [event()], 'no_stream');
    client.writeSystemEvent();
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['order-1']);
    expect(await store.headPosition()).toEqual((await store.readAll())[0]!.position);
  });

  it('fills a page past events the exact-type check drops, instead of ending early', async () => {
    const { store } = open();
    for (let i = 0; i < 150; i++) await store.append(`order-${i}`, [event('Noise')], 'no_stream');
    await store.append('order-x', [event('Wanted')], 'no_stream');
    const page = await store.readAll({ filter: { streamPrefixes: ['order-'], eventTypes: ['Wanted'] }, maxCount: 10 });
    expect(page.map((e) => e.type)).toEqual(['Wanted']);
  });

  it('resubscribes from the last delivered position after a dropped connection: no gap, no duplicate', async () => {
    const { client, store } = open();
    const seen: number[] = [];
    const subscription = store.subscribe((events: readonly RecordedEvent[]) => {
      seen.push(...events.map((e) => (e.data as { n: number }).n));
    });
    for (let n = 0; n < 5; n++) await store.append(`order-${n}`, [event('E', { n })], 'no_stream');
    await waitUntil(() => seen.length === 5);
    client.dropSubscriptions();
    for (let n = 5; n < 10; n++) await store.append(`order-${n}`, [event('E', { n })], 'no_stream');
    await waitUntil(() => seen.length >= 10);
    client.dropSubscriptions();
    client.dropSubscriptions();
    await store.append('order-10', [event('E', { n: 10 })], 'no_stream');
    await waitUntil(() => seen.length >= 11);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await subscription.stop();
  });

  it('reports filtered checkpoints so a sparse filter does not rescan its gaps', async () => {
    const { store } = open();
    for (let i = 0; i < 5; i++) await store.append(`other-${i}`, [event()], 'no_stream');
    const checkpoints: bigint[] = [];
    const subscription = store.subscribe(() => undefined, { after: START, filter: { streamPrefixes: ['order-'] }, onCheckpoint: (p: { commit: bigint }) => void checkpoints.push(p.commit) } as never);
    await waitUntil(() => checkpoints.length === 5);
    await subscription.stop();
    expect(checkpoints).toEqual([...checkpoints].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('translates esdb:// connection strings to kurrentdb://', () => {
    expect(normaliseConnectionString('esdb://node1:2113?tls=false')).toBe('kurrentdb://node1:2113?tls=false');
    expect(normaliseConnectionString('esdb+discover://cluster.local:2113')).toBe('kurrentdb+discover://cluster.local:2113');
    expect(normaliseConnectionString('kurrentdb://a:2113')).toBe('kurrentdb://a:2113');
  });

  it('disposes the client on close and refuses work afterwards', async () => {
    const { client, store } = open();
    await store.close();
    expect(client.disposed).toBe(true);
    await expect(store.append('order-1', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
