import type { EventStore, Position, RecordedEvent } from '@csp/event-store';
import { hasApplied } from './lag';

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });
/** Only what hasApplied reads: the next readable event after a position, and the readable head. */
const storeWith = (readable: readonly RecordedEvent[], head: Position) =>
  ({
    readAll: async ({ after }: { after: Position }) => readable.filter((e) => e.position.commit > after.commit).slice(0, 1),
    headPosition: async () => head,
  }) as unknown as EventStore;
const eventAt = (n: number) => ({ position: at(n) }) as RecordedEvent;

describe('hasApplied', () => {
  const filter = { streamPrefixes: ['order-'] };

  it('is reached when the read model is at or past the target', async () => {
    expect(await hasApplied(storeWith([], at(5)), filter, at(5), at(5))).toBe(true);
  });

  it('is reached when nothing the read model follows lies between, the target being readable', async () => {
    expect(await hasApplied(storeWith([], at(7)), filter, at(3), at(5))).toBe(true);
    expect(await hasApplied(storeWith([eventAt(6)], at(7)), filter, at(3), at(5))).toBe(true);
  });

  it('is not reached while an event it follows lies between', async () => {
    expect(await hasApplied(storeWith([eventAt(4)], at(7)), filter, at(3), at(5))).toBe(false);
  });

  it('is not reached while the target is committed but not readable yet (held back behind an older transaction)', async () => {
    expect(await hasApplied(storeWith([], at(3)), filter, at(3), at(5))).toBe(false);
  });
});
