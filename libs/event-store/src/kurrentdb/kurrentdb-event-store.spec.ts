import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '../contract';
import { EventStoreUnavailableError, START, WrongExpectedRevisionError, type NewEvent } from '../port';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentClient } from './testing/fake-client';

const event = (type = 'Happened', data: unknown = { n: 1 }): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
});
const open = (client = new FakeKurrentClient()) => ({ client, store: new KurrentDbEventStore({ client, resubscribeBackOff: { initial: 1, max: 5 } }) });

// The adapter's logic against the contract over an in-memory client: NOT a KurrentDB server.
// kurrentdb-event-store.contract.spec.ts runs the same suite on a real server where Docker exists.
eventStoreContract('kurrentdb adapter over an in-memory fake client', async () => {
  const { store } = open();
  return { store, dispose: () => store.close() };
});

describe('KurrentDB event store', () => {
  describe('append', () => {
    it('passes each expected revision to the client as the same stream state', async () => {
      const { client, store } = open();
      await store.append('order-1', [event()], 'no_stream');
      await store.append('order-1', [event()], 'stream_exists');
      await store.append('order-1', [event()], 'any');
      await store.append('order-1', [event()], 2n);
      expect(client.appendStates).toEqual(['no_stream', 'stream_exists', 'any', 2n]);
    });

    it('answers with the revision and both halves of the position the server gave', async () => {
      const { client, store } = open();
      const result = await store.append('order-1', [event(), event()], 'no_stream');
      const last = client.log[1]!;
      expect(last.position.commit).not.toBe(last.position.prepare);
      expect(result).toEqual({ nextExpectedRevision: 1n, position: last.position });
      expect((await store.readStream('order-1', { fromRevision: 1n }))[0]!.position).toEqual(result.position);
    });

    it('passes event ids through, so a retried append is answered, not written twice', async () => {
      const { client, store } = open();
      const events = [event(), event()];
      const first = await store.append('order-1', events, 'no_stream');
      expect(await store.append('order-1', events, 'no_stream')).toEqual(first);
      expect(client.log.map((e) => e.id)).toEqual(events.map((e) => e.eventId));
    });

    it('turns a wrong expected version into WrongExpectedRevisionError with the actual revision', async () => {
      const { store } = open();
      await store.append('order-1', [event()], 'no_stream');
      const conflict = await store.append('order-1', [event()], 'no_stream').catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
      expect(conflict).toMatchObject({ streamId: 'order-1', expected: 'no_stream', actual: 0n });
      const missing = await store.append('order-2', [event()], 3n).catch((e: unknown) => e);
      expect(missing).toMatchObject({ name: 'WrongExpectedRevisionError', expected: 3n, actual: 'no_stream' });
    });

    it('turns an unreachable server into EventStoreUnavailableError, on writes and reads', async () => {
      const { client, store } = open();
      client.unavailable = true;
      await expect(store.append('order-1', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream('order-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('reads', () => {
    it('reads a stream the server does not know as empty', async () => {
      expect(await open().store.readStream('order-none')).toEqual([]);
    });

    it('skips the event at exactly `after`, which the server returns because its fromPosition is inclusive', async () => {
      const { client, store } = open();
      for (let n = 0; n < 5; n++) await store.append(`order-${n}`, [event('E', { n })], 'no_stream');
      const [, second] = await store.readAll();
      const page = await store.readAll({ after: second!.position });
      expect(client.readAllRequests.at(-1)!.fromPosition).toEqual(second!.position);
      expect(page.map((e) => (e.data as { n: number }).n)).toEqual([2, 3, 4]);
    });

    it('asks the server to filter by stream prefix and checks exact event types itself', async () => {
      const { client, store } = open();
      await store.append('order-1', [event('OrderCancelled'), event('OrderCancelledByMistake')], 'no_stream');
      await store.append('customers-1', [event('OrderCancelled')], 'no_stream');
      const page = await store.readAll({ filter: { streamPrefixes: ['order-'], eventTypes: ['OrderCancelled'] } });
      expect(page.map((e) => [e.streamId, e.type])).toEqual([['order-1', 'OrderCancelled']]);
      expect(client.readAllRequests.at(-1)!.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['order-'] });
      const byType = await store.readAll({ filter: { eventTypes: ['OrderCancelled'] } });
      expect(byType.map((e) => e.streamId)).toEqual(['order-1', 'customers-1']);
    });

    it('fills a page past events dropped on this side instead of ending early', async () => {
      const { store } = open();
      for (let i = 0; i < 150; i++) await store.append(`order-${i}`, [event('Noise')], 'no_stream');
      await store.append('order-x', [event('Wanted')], 'no_stream');
      const page = await store.readAll({ filter: { streamPrefixes: ['order-'], eventTypes: ['Wanted'] }, maxCount: 10 });
      expect(page.map((e) => e.streamId)).toEqual(['order-x']);
    });

    it('keeps the server’s own events away from readers and from the head position', async () => {
      const { client, store } = open();
      expect(await store.headPosition()).toEqual(START);
      client.writeSystemEvent();
      await store.append('order-1', [event()], 'no_stream');
      client.writeSystemEvent();
      client.writeSystemEvent('$$order-1', '$metadata');
      const all = await store.readAll();
      expect(all.map((e) => e.streamId)).toEqual(['order-1']);
      expect(await store.headPosition()).toEqual(all[0]!.position);
    });
  });

  it('disposes the client on close, stops its subscriptions and refuses work afterwards', async () => {
    const { client, store } = open();
    const subscription = store.subscribe(() => undefined);
    await store.close();
    await expect(subscription.closed).resolves.toBeUndefined();
    expect(client.disposed).toBe(true);
    expect(client.liveSubscriptions).toBe(0);
    await expect(store.append('order-1', [event()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
