import type { RecordedEvent } from '../port';
import { SharedReads } from './shared-reads';

const recorded = (n: number): RecordedEvent => ({
  eventId: `e${n}`,
  type: 'Happened',
  streamId: 'order-1',
  revision: BigInt(n),
  position: { commit: 7n, prepare: BigInt(n) },
  data: { lines: [{ sku: 'A', quantity: n }] },
  metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: 'c', schemaVersion: 1 },
  recordedAt: '2026-03-02T10:00:00.000Z',
});

describe('SharedReads', () => {
  it('sends one read for every subscriber asking for the same page while it runs', async () => {
    const reads = new SharedReads();
    let loads = 0;
    const load = async () => (loads++, [recorded(1)]);
    const [a, b, c] = await Promise.all([reads.page('k', load), reads.page('k', load), reads.page('k', load)]);
    expect(loads).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect((await reads.page('other', load)).length).toBe(1);
    expect(loads).toBe(2);
  });

  it('reads again once the time to share has passed', async () => {
    const reads = new SharedReads(5);
    let loads = 0;
    const load = async () => (loads++, [recorded(loads)]);
    await reads.page('k', load);
    await new Promise((r) => setTimeout(r, 15));
    await reads.page('k', load);
    expect(loads).toBe(2);
  });

  it('keeps no failure: the next ask reads again', async () => {
    const reads = new SharedReads();
    await expect(reads.read('k', async () => Promise.reject(new Error('server away')))).rejects.toThrow('server away');
    expect(await reads.read('k', async () => true)).toBe(true);
  });

  it('hands out frozen events, so that no read model can change what another sees', async () => {
    const [event] = await new SharedReads().page('k', async () => [recorded(1)]);
    expect(() => ((event!.data as { lines: { quantity: number }[] }).lines[0]!.quantity = 9)).toThrow(TypeError);
    expect(Object.isFrozen(event!.position)).toBe(true);
  });
});
