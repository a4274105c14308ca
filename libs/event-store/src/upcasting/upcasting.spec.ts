import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent, RecordedEvent } from '../port';
import { openSqliteEventStore } from '../sqlite';
import { UpcasterChain, UpcastingError, withUpcasting } from './upcasting';

const versions: Record<string, number> = { Renamed: 3, Plain: 1 };
const chain = new UpcasterChain(
  [
    { eventType: 'Renamed', fromVersion: 1, upcast: (d) => ({ ...d, b: d.a, a: undefined }) },
    { eventType: 'Renamed', fromVersion: 2, upcast: (d) => ({ b: d.b, c: 'added in v3' }) },
  ],
  (type) => versions[type] ?? 1,
);
const event = (type: string, data: unknown, schemaVersion?: number): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', ...(schemaVersion !== undefined ? { schemaVersion } : {}) } as NewEvent['metadata'],
});
const recorded = (e: NewEvent): RecordedEvent => ({
  ...e,
  streamId: 's',
  revision: 0n,
  position: { commit: 0n, prepare: 0n },
  recordedAt: '2026-03-02T10:00:00.000Z',
});

describe('upcasting', () => {
  it('walks every step from the stored version to the current one and says where it came from', () => {
    const up = chain.upcast(recorded(event('Renamed', { a: 1 }, 1)));
    expect(up.data).toEqual({ b: 1, c: 'added in v3' });
    expect(up.metadata).toEqual(expect.objectContaining({ schemaVersion: 3, upcastFrom: 1 }));
    expect(chain.upcast(recorded(event('Renamed', { b: 2 }, 2))).data).toEqual({ b: 2, c: 'added in v3' });
  });

  it('returns current events untouched, and reads events without a version as version 1', () => {
    const current = recorded(event('Renamed', { b: 1, c: 'x' }, 3));
    expect(chain.upcast(current)).toBe(current);
    expect(chain.upcast(recorded(event('Renamed', { a: 7 }))).data).toEqual({ b: 7, c: 'added in v3' });
    const plain = recorded(event('Plain', { x: 1 }, 1));
    expect(chain.upcast(plain)).toBe(plain);
  });

  it('refuses an event from a newer program, and a chain with a missing step', () => {
    expect(() => chain.upcast(recorded(event('Plain', {}, 2)))).toThrow(UpcastingError);
    expect(() => chain.upcast(recorded(event('Plain', {}, 2)))).toThrow(/newer than this program/);
    const gap = new UpcasterChain([{ eventType: 'Renamed', fromVersion: 2, upcast: (d) => d }], (type) => versions[type] ?? 1);
    expect(() => gap.upcast(recorded(event('Renamed', {}, 1)))).toThrow(/No upcaster turns Renamed version 1 into version 2/);
  });

  it('refuses a duplicate step or a step beyond the current version at construction', () => {
    const step = { eventType: 'Renamed', fromVersion: 1, upcast: (d: Readonly<Record<string, unknown>>) => ({ ...d }) };
    expect(() => new UpcasterChain([step, step], () => 3)).toThrow(/Two upcasters/);
    expect(() => new UpcasterChain([{ ...step, fromVersion: 3 }], () => 3)).toThrow(/beyond its current version/);
  });

  it('decorates a store: stream reads, global reads and subscriptions see the current shape; appends are stored as given', async () => {
    const raw = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-upcast-')), 'events.sqlite'), pollIntervalMs: 20 });
    const store = withUpcasting(raw, chain);
    expect(withUpcasting(store, chain)).toBe(store);
    try {
      await store.append('s-1', [event('Renamed', { a: 'old' }, 1), event('Plain', { x: 1 }, 1)], 'no_stream');
      expect((await raw.readStream('s-1'))[0]!.data).toEqual({ a: 'old' });
      expect((await store.readStream('s-1'))[0]!.data).toEqual({ b: 'old', c: 'added in v3' });
      expect((await store.readAll())[0]!.metadata.schemaVersion).toBe(3);
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribe((events) => void seen.push(...events));
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      await subscription.stop();
      expect(seen.map((e) => e.data)).toEqual([{ b: 'old', c: 'added in v3' }, { x: 1 }]);
      expect(await store.headPosition()).toEqual(await raw.headPosition());
    } finally {
      await store.close();
    }
  });
});
