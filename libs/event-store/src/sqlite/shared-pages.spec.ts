import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../port';
import { SharedPages } from './shared-pages';
import { openSqliteEventStore } from './sqlite-event-store';

const recorded = (n: number): RecordedEvent => ({
  eventId: randomUUID(),
  type: 'Happened',
  streamId: 'order-1',
  revision: BigInt(n),
  position: { commit: BigInt(n), prepare: BigInt(n) },
  data: { lines: [{ sku: 'A', quantity: n }] },
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1, actor: { sub: 'u', tid: 't', roles: ['admin-agent'] } } as never,
  recordedAt: '2026-03-02T10:00:00.000Z',
});

describe('SharedPages', () => {
  it('reads a page once for every subscriber asking for it', () => {
    const pages = new SharedPages();
    let loads = 0;
    const load = () => (loads++, [recorded(1)]);
    const first = pages.read('0:1', load);
    const second = pages.read('0:1', load);
    expect(loads).toBe(1);
    expect(second).toBe(first);
  });

  it('freezes shared events all the way down, so one consumer cannot change what another sees', () => {
    const [event] = new SharedPages().read('k', () => [recorded(1)]);
    const lines = (event!.data as { lines: { quantity: number }[] }).lines;
    expect(() => (lines[0]!.quantity = 99)).toThrow(TypeError);
    expect(() => (event!.metadata as unknown as { actor: { roles: string[] } }).actor.roles.push('x')).toThrow(TypeError);
    expect(() => ((event!.position as { commit: bigint }).commit = 5n)).toThrow(TypeError);
    expect(lines[0]!.quantity).toBe(1);
  });

  it('keeps only the most recent pages', () => {
    const pages = new SharedPages(2);
    let loads = 0;
    const load = () => (loads++, [recorded(1)]);
    pages.read('a', load);
    pages.read('b', load);
    pages.read('c', load);
    pages.read('a', load);
    expect(loads).toBe(4);
    pages.read('c', load);
    expect(loads).toBe(4);
  });
});

describe('SQLite subscriptions share pages', () => {
  it('delivers the same event objects to every subscription at the same position, and each subscription all events once', async () => {
    const store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-shared-')), 'events.sqlite') });
    try {
      const seen: RecordedEvent[][] = [[], [], []];
      const subscriptions = seen.map((list) => store.subscribe((events) => void list.push(...events), { filter: { streamPrefixes: ['order-'] } }));
      for (let i = 0; i < 20; i++) {
        await store.append(
          `order-${i % 3}`,
          [
            {
              eventId: randomUUID(),
              type: 'Happened',
              data: { i },
              metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
            },
          ],
          'any',
        );
      }
      await store.append(
        'other-1',
        [{ eventId: randomUUID(), type: 'Ignored', data: {}, metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 } }],
        'any',
      );
      const deadline = Date.now() + 5_000;
      while (seen.some((list) => list.length < 20) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.all(subscriptions.map((s) => s.stop()));
      for (const list of seen) expect(list.map((e) => (e.data as { i: number }).i)).toEqual([...Array(20).keys()]);
      // Same objects, not equal copies: one read and one parse for all three.
      expect(seen[1]!.every((event, i) => event === seen[0]![i])).toBe(true);
      expect(seen[2]!.every((event, i) => event === seen[0]![i])).toBe(true);
    } finally {
      await store.close();
    }
  });
});
