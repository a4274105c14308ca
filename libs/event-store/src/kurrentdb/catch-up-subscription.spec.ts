import { randomUUID } from 'node:crypto';
import { comparePositions, type NewEvent, type Position, type RecordedEvent } from '../port';
import { recordingLogger } from '../../../config/src/testing/recording-logger';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { FakeKurrentClient } from './testing/fake-client';

const event = (n: number, type = 'E'): NewEvent => ({
  eventId: randomUUID(),
  type,
  data: { n },
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
});
const numbers = (events: readonly RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function open(backOff = { initial: 1, max: 8 }) {
  const client = new FakeKurrentClient();
  const { logger, lines } = recordingLogger();
  const store = new KurrentDbEventStore({ client, logger, resubscribeBackOff: backOff });
  const append = async (from: number, to: number, stream = 'order') => {
    for (const n of range(from, to)) await store.append(`${stream}-${n}`, [event(n)], 'no_stream');
  };
  return { client, store, lines, append };
}

async function waitUntil(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('KurrentDB catch-up subscription', () => {
  describe('after a dropped connection', () => {
    it('resubscribes from the last delivered position: no gap, no duplicate', async () => {
      const { client, store, append } = open();
      const seen: number[] = [];
      const subscription = store.subscribe((events) => void seen.push(...numbers(events)));
      await append(0, 5);
      await waitUntil(() => seen.length === 5);
      const lastDelivered = (await store.readAll()).at(-1)!.position;

      client.dropSubscriptions();
      await append(5, 10);
      await waitUntil(() => seen.length >= 10);
      // The fake, like a read, starts inclusive: the adapter must drop the event it resumed from.
      expect(client.subscriptionRequests[1]!.fromPosition).toEqual(lastDelivered);

      client.dropSubscriptions();
      client.dropSubscriptions();
      await append(10, 11);
      await waitUntil(() => seen.length >= 11);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual(range(0, 11));
      await subscription.stop();
    });

    it('delivers the events buffered before the drop, then resumes after them', async () => {
      const { client, store, append } = open();
      await append(0, 40);
      const seen: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const subscription = store.subscribe(
        async (events) => {
          seen.push(...numbers(events));
          await gate;
        },
        { batchSize: 5 },
      );
      await waitUntil(() => seen.length === 5);
      client.dropSubscriptions();
      await append(40, 45);
      release();
      await waitUntil(() => seen.length >= 45);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual(range(0, 45));
      await subscription.stop();
    });

    it('backs off exponentially up to the bound, logs each attempt, and starts over once resumed', async () => {
      const { client, store, lines, append } = open({ initial: 1, max: 8 });
      const seen: number[] = [];
      const subscription = store.subscribe((events) => void seen.push(...numbers(events)));
      await append(0, 1);
      await waitUntil(() => seen.length === 1);

      client.refuseSubscriptions = 5;
      client.dropSubscriptions();
      await append(1, 2);
      await waitUntil(() => seen.length === 2);
      const retries = () => lines.filter((l) => l.level === 'warn').map((l) => l.fields!.retryInMs);
      expect(retries()).toEqual([1, 2, 4, 8, 8, 8]);
      expect(lines.filter((l) => l.level === 'warn').every((l) => l.fields!.error === 'connection reset' || l.fields!.error === 'connection refused')).toBe(
        true,
      );
      await waitUntil(() => lines.some((l) => l.level === 'info'));
      expect(lines.find((l) => l.level === 'info')).toMatchObject({ message: 'KurrentDB subscription resumed' });

      client.dropSubscriptions();
      await append(2, 3);
      await waitUntil(() => seen.length === 3);
      expect(retries().at(-1)).toBe(1);
      expect(seen).toEqual([0, 1, 2]);
      await subscription.stop();
    });

    it('stops at once when stop() comes during the back-off', async () => {
      const { client, store } = open({ initial: 60_000, max: 60_000 });
      const subscription = store.subscribe(() => undefined);
      await waitUntil(() => client.liveSubscriptions === 1);
      client.dropSubscriptions();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const started = Date.now();
      await subscription.stop();
      await expect(subscription.closed).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });

  describe('back-pressure', () => {
    it('delivers one batch at a time and stops reading from the server while the handler works', async () => {
      const { client, store, append } = open();
      await append(0, 300);
      let inFlight = 0;
      let maxInFlight = 0;
      const batches: number[][] = [];
      let release!: () => void;
      let gate = new Promise<void>((resolve) => (release = resolve));
      const subscription = store.subscribe(
        async (events) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          batches.push(numbers(events));
          await gate;
          inFlight--;
        },
        { batchSize: 10 },
      );
      await waitUntil(() => batches.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(batches).toHaveLength(1);
      // One batch in the handler, about one queued, and the stream's own small buffers: far from all 300.
      expect(client.transformed).toBeLessThan(60);

      gate = Promise.resolve();
      release();
      await waitUntil(() => batches.flat().length === 300);
      expect(batches.flat()).toEqual(range(0, 300));
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
      expect(maxInFlight).toBe(1);
      await subscription.stop();
    });
  });

  describe('filtered checkpoints', () => {
    it('reports a checkpoint only after every event before it was handled, and loses none', async () => {
      const { store } = open();
      // Every other event matches, so the server's checkpoints fall between matching events.
      for (const n of range(0, 200)) await store.append(n % 2 === 0 ? `order-${n}` : `customers-${n}`, [event(n)], 'no_stream');
      const timeline: ({ event: number; position: Position } | { checkpoint: Position })[] = [];
      const subscription = store.subscribe(
        async (events) => {
          // Slow enough that the client's stream runs ahead and meets checkpoints with events still buffered.
          await new Promise((resolve) => setTimeout(resolve, 2));
          for (const e of events) timeline.push({ event: (e.data as { n: number }).n, position: e.position });
        },
        { batchSize: 5, filter: { streamPrefixes: ['order-'] }, onCheckpoint: (position) => void timeline.push({ checkpoint: position }) },
      );
      await waitUntil(() => timeline.filter((t) => 'event' in t).length === 100);
      await subscription.stop();
      expect(timeline.flatMap((t) => ('event' in t ? [t.event] : []))).toEqual(range(0, 200).filter((n) => n % 2 === 0));
      const checkpoints = timeline.filter((t): t is { checkpoint: Position } => 'checkpoint' in t);
      expect(checkpoints.length).toBeGreaterThanOrEqual(3);
      timeline.forEach((entry, i) => {
        if (!('checkpoint' in entry)) return;
        const later = timeline.slice(i + 1).flatMap((t) => ('event' in t ? [t.position] : []));
        for (const position of later) expect(comparePositions(position, entry.checkpoint)).toBe(1);
      });
    });

    it('resumes a sparse filter from its last checkpoint, not from the last matching event', async () => {
      const { client, store, append } = open();
      await append(0, 1);
      await append(1, 70, 'customers');
      const checkpoints: Position[] = [];
      const seen: number[] = [];
      const subscription = store.subscribe((events) => void seen.push(...numbers(events)), {
        filter: { streamPrefixes: ['order-'] },
        onCheckpoint: (position) => void checkpoints.push(position),
      });
      await waitUntil(() => checkpoints.length === 2);
      client.dropSubscriptions();
      await append(70, 71);
      await waitUntil(() => seen.length === 2);
      expect(seen).toEqual([0, 70]);
      expect(client.subscriptionRequests[1]!.fromPosition).toEqual(checkpoints[1]);
      await subscription.stop();
    });
  });

  describe('failures that are not the connection', () => {
    it('stops on a handler error and rejects closed with it, without resubscribing', async () => {
      const { client, store, append } = open();
      await append(0, 3);
      const failure = new Error('projection bug');
      const subscription = store.subscribe(() => {
        throw failure;
      });
      await expect(subscription.closed).rejects.toBe(failure);
      expect(client.subscriptionRequests).toHaveLength(1);
      expect(client.liveSubscriptions).toBe(0);
    });

    it('stops on an event it cannot read instead of resubscribing to it forever', async () => {
      const { client, store } = open();
      client.writeBinaryEvent('order-9', 'Legacy');
      const subscription = store.subscribe(() => undefined);
      await expect(subscription.closed).rejects.toThrow(/not JSON/);
      expect(client.subscriptionRequests).toHaveLength(1);
    });

    it('stops when the checkpoint hook fails', async () => {
      const { store, append } = open();
      await append(0, 40, 'customers');
      const failure = new Error('checkpoint store down');
      const subscription = store.subscribe(() => undefined, {
        filter: { streamPrefixes: ['order-'] },
        onCheckpoint: () => {
          throw failure;
        },
      });
      await expect(subscription.closed).rejects.toBe(failure);
    });
  });
});
