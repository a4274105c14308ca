import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KurrentDbEventStore } from '../kurrentdb/kurrentdb-event-store';
import { FakeKurrentClient } from '../kurrentdb/testing/fake-client';
import { EventStoreUnavailableError, type EventStore, type NewEvent } from '../port';
import { openSqliteEventStore, type SqliteEventStore } from '../sqlite/sqlite-event-store';
import { copyHistory, TargetHoldsOtherEventsError } from './copy-history';
import { digestHistory, HistoryDigest } from './history';

const opened: EventStore[] = [];
const sqlite = (): SqliteEventStore => {
  const store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-history-')), 'events.sqlite') });
  opened.push(store);
  return store;
};
const kurrent = (client = new FakeKurrentClient()) => new KurrentDbEventStore({ client });
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const event = (data: unknown = { n: 1 }, type = 'Happened'): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
});

/** Streams that interleave in the global order, several events per append: what a copy must keep. */
async function fill(store: EventStore, appends = 30): Promise<void> {
  for (let i = 0; i < appends; i++) {
    const stream = `order-${i % 7}`;
    const existing = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    await store.append(stream, [event({ i }), event({ i, second: true })], existing[0]?.revision ?? 'no_stream');
  }
}

const shape = async (store: EventStore) =>
  (await store.readAll({ maxCount: 10_000 })).map(({ streamId, revision, eventId, type, data, metadata }) => ({
    streamId,
    revision,
    eventId,
    type,
    data,
    metadata,
  }));

describe('the history digest', () => {
  it('is over what every store keeps as given, in canonical JSON: key order and positions do not change it, data does', async () => {
    const recorded = (data: unknown, position: bigint) => ({
      eventId: 'e1',
      type: 'Happened',
      streamId: 's',
      revision: 0n,
      position: { commit: position, prepare: position },
      data,
      metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
      recordedAt: new Date(Number(position)).toISOString(),
    });
    const of = (...events: ReturnType<typeof recorded>[]) => {
      const digest = new HistoryDigest();
      for (const e of events) digest.add(e);
      return digest.value();
    };
    expect(of(recorded({ a: 1, b: [1, { c: 2, d: 3 }] }, 1n))).toBe(of(recorded({ b: [1, { d: 3, c: 2 }], a: 1 }, 9000n)));
    expect(of(recorded({ a: 1 }, 1n))).not.toBe(of(recorded({ a: 2 }, 1n)));
    expect(of()).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(of(recorded({ a: 1 }, 1n))).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('copying a history to another store', () => {
  it.each([
    ['SQLite → SQLite (one commit per page)', sqlite, sqlite],
    ['SQLite → KurrentDB (appends one by one)', sqlite, () => kurrent()],
    ['KurrentDB → SQLite', () => kurrent(), sqlite],
  ] as const)('%s: every event with its stream, revision, id, type, data and metadata, in global order; the same digest', async (_name, from, to) => {
    const source = from();
    const target = to();
    await fill(source);
    const result = await copyHistory({ source, target, until: await source.headPosition(), batchEvents: 7 });
    expect(result).toEqual(expect.objectContaining({ alreadyOnTarget: 0, copied: 60 }));
    expect(result.target).toEqual(result.source);
    expect(await shape(target)).toEqual(await shape(source));
    expect(await digestHistory(target)).toEqual(await digestHistory(source));
  });

  it('copies up to the position it is given, not what the source takes meanwhile', async () => {
    const source = sqlite();
    await fill(source, 5);
    const until = await source.headPosition();
    await fill(source, 3);
    const result = await copyHistory({ source, target: sqlite(), until });
    expect(result.copied).toBe(10);
    expect(result.target).toEqual(result.source);
  });

  it('resumes after an interruption where the target is, and ends with the same digest', async () => {
    const source = sqlite();
    await fill(source);
    const target = sqlite();
    // The target goes away after three commits, as a server does.
    let commits = 0;
    const failing: EventStore = Object.assign(Object.create(target) as EventStore, {
      appendInOrder: async (appends: Parameters<NonNullable<EventStore['appendInOrder']>>[0]) => {
        if (++commits > 3) throw new EventStoreUnavailableError('the target went away');
        return target.appendInOrder(appends);
      },
    });
    const until = await source.headPosition();
    await expect(copyHistory({ source, target: failing, until, batchEvents: 8 })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect((await digestHistory(target)).events).toBe(24);
    const resumed = await copyHistory({ source, target, until, batchEvents: 8 });
    expect(resumed).toEqual(expect.objectContaining({ alreadyOnTarget: 24, copied: 36 }));
    expect(resumed.target).toEqual(resumed.source);
    expect(await shape(target)).toEqual(await shape(source));
    // Once complete, again: nothing to copy, still the same.
    expect(await copyHistory({ source, target, until })).toEqual(expect.objectContaining({ alreadyOnTarget: 60, copied: 0 }));
  });

  it('refuses a target that holds other events, or more than the source, writing nothing', async () => {
    const source = sqlite();
    await fill(source, 4);
    const until = await source.headPosition();
    const other = sqlite();
    await other.append('order-9', [event()], 'no_stream');
    await expect(copyHistory({ source, target: other, until })).rejects.toThrow(/The target is not empty: it holds events of another history/);
    expect((await digestHistory(other)).events).toBe(1);

    const ahead = sqlite();
    await copyHistory({ source, target: ahead, until });
    await ahead.append('order-9', [event()], 'no_stream');
    const error = await copyHistory({ source, target: ahead, until }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetHoldsOtherEventsError);
    expect((error as Error).message).toMatch(/more events than the source: its event #9/);

    const diverged = sqlite();
    const [first] = await source.readAll({ maxCount: 1 });
    await diverged.append(first!.streamId, [{ eventId: first!.eventId, type: first!.type, data: first!.data, metadata: first!.metadata }], 'no_stream');
    await diverged.append('order-other', [event()], 'no_stream');
    await expect(copyHistory({ source, target: diverged, until })).rejects.toThrow(/its event #2 is Happened .* \(order-other@0\), the source's/);
  });

  it("leaves out the streams that are not history, on both sides (KurrentDB's keyring streams)", async () => {
    const client = new FakeKurrentClient();
    const source = kurrent(client);
    await fill(source, 4);
    await source.append('tenantDataKey-t1', [event({ wrapped: 'key' }, 'TenantDataKeyCreated')], 'no_stream');
    const target = kurrent();
    await target.append('tenantDataKey-t2', [event({ wrapped: 'other' }, 'TenantDataKeyCreated')], 'no_stream');
    const result = await copyHistory({ source, target, until: await source.headPosition(), excludedStreamPrefixes: ['tenantDataKey-'] });
    expect(result.copied).toBe(8);
    expect(result.target).toEqual(result.source);
    expect((await target.readAll({ maxCount: 100 })).filter((e) => e.type === 'TenantDataKeyCreated').map((e) => e.streamId)).toEqual(['tenantDataKey-t2']);
  });
});
