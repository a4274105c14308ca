import type { EventFilter, RecordedEvent } from '../port';
import { CatchUpSubscription, type EventSource } from './subscription';

/** A log in memory behind the EventSource interface, counting how often the head is asked for. */
function fakeSource(pollIntervalMs = 10_000) {
  const log: RecordedEvent[] = [];
  const listeners = new Set<(head: number) => void>();
  let headQueries = 0;
  const source: EventSource = {
    head: () => (headQueries++, log.length),
    page: (after: number, upTo: number, limit: number, _filter: EventFilter | undefined) => log.slice(after, upTo).slice(0, limit),
    onWrite: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    pollIntervalMs,
  };
  const event = (n: number): RecordedEvent => ({
    eventId: `e${n}`,
    type: 'Happened',
    streamId: 's',
    revision: BigInt(n - 1),
    position: { commit: BigInt(n), prepare: BigInt(n) },
    data: {},
    metadata: {} as never,
    recordedAt: '',
  });
  return {
    source,
    headQueries: () => headQueries,
    /** A commit by this process: the store tells its head. */
    commitLocally(count: number) {
      for (let i = 0; i < count; i++) log.push(event(log.length + 1));
      for (const listener of listeners) listener(log.length);
    },
    /** An idempotent retry of the append at `position`: a commit that wrote nothing, telling that old position. */
    retryLocally(position: number) {
      for (const listener of listeners) listener(position);
    },
    /** A commit by another process on the same file: nobody is told. */
    commitElsewhere(count: number) {
      for (let i = 0; i < count; i++) log.push(event(log.length + 1));
    },
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('CatchUpSubscription', () => {
  it('takes the head from local commits instead of asking the store each time', async () => {
    const fake = fakeSource();
    const seen: number[] = [];
    const subscription = new CatchUpSubscription(fake.source, (events) => void seen.push(...events.map((e) => Number(e.position.commit))), {});
    await until(() => fake.headQueries() > 0);
    for (let i = 0; i < 50; i++) {
      fake.commitLocally(2);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => seen.length === 100);
    await subscription.stop();
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Once at the start; none for the 50 local commits.
    expect(fake.headQueries()).toBe(1);
  });

  it('still finds commits by another process when the poll timer fires, exactly once and in order', async () => {
    const fake = fakeSource(5);
    const seen: number[] = [];
    const subscription = new CatchUpSubscription(fake.source, (events) => void seen.push(...events.map((e) => Number(e.position.commit))), { batchSize: 3 });
    fake.commitElsewhere(4);
    fake.commitLocally(1);
    fake.commitElsewhere(5);
    await until(() => seen.length === 10);
    fake.commitLocally(2);
    fake.commitElsewhere(3);
    await until(() => seen.length === 15);
    await subscription.stop();
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('after a poll found commits by another process, asks again once they are read instead of sleeping a poll interval', async () => {
    const fake = fakeSource(10_000);
    fake.commitElsewhere(2);
    const seen: number[] = [];
    let first = true;
    const subscription = new CatchUpSubscription(
      fake.source,
      (events) => {
        seen.push(...events.map((e) => Number(e.position.commit)));
        // The other process keeps writing while this batch is handled.
        if (first) fake.commitElsewhere(3);
        first = false;
      },
      {},
    );
    await until(() => seen.length === 5);
    await subscription.stop();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('is not woken by a commit that moved nothing (an idempotent retry), so polling for other processes goes on', async () => {
    const fake = fakeSource(20);
    const seen: number[] = [];
    const subscription = new CatchUpSubscription(fake.source, (events) => void seen.push(...events.map((e) => Number(e.position.commit))), {});
    fake.commitLocally(1);
    await until(() => seen.length === 1);
    fake.commitElsewhere(1);
    // Retries answered from what is recorded: a commit notification with the same head, every 5 ms.
    const retries = setInterval(() => fake.retryLocally(1), 5);
    await until(() => seen.length === 2);
    clearInterval(retries);
    await subscription.stop();
    expect(seen).toEqual([1, 2]);
  });
});
