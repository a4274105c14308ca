import type { AllStreamRecordedEvent } from '@kurrent/kurrentdb-client';
import { comparePositions, formatPosition, parsePosition, START, type NewEvent } from '../port';
import { normaliseConnectionString } from './client';
import { fromRecorded, isSystemEvent, toEventData, toPosition, toReadPosition, toServerFilter } from './mapping';

const metadata = {
  occurredAt: '2026-03-02T10:00:00.000Z',
  actor: { sub: 'agent-1', tid: 'partner-tenant', roles: ['admin-agent'] },
  tenantId: 'customer-tenant',
  partnerTenantId: 'partner-tenant',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  schemaVersion: 2,
  idempotencyKey: 'k-1',
};
const newEvent: NewEvent = {
  eventId: 'b7f7b4a4-9a3c-4c55-8d0b-2a8e4b8a7c01',
  type: 'SoftwarePurchased',
  data: { orderId: 'o-1', lines: [{ amount: 129_900 }] },
  metadata,
};
const recorded = (overrides: Partial<AllStreamRecordedEvent> = {}): AllStreamRecordedEvent =>
  ({
    id: newEvent.eventId,
    type: newEvent.type,
    streamId: 'order-o-1',
    revision: 4n,
    data: newEvent.data,
    metadata,
    isJson: true,
    created: new Date('2026-03-02T10:00:01.250Z'),
    position: { commit: 18_446_744_073_709_551_000n, prepare: 18_446_744_073_709_550_990n },
    ...overrides,
  }) as AllStreamRecordedEvent;

describe('KurrentDB event mapping', () => {
  it('writes our events as JSON events under their own id, data and metadata untouched', () => {
    expect(toEventData(newEvent)).toEqual({ id: newEvent.eventId, contentType: 'application/json', type: 'SoftwarePurchased', data: newEvent.data, metadata });
  });

  it('reads the client’s recorded events back into the port’s shape', () => {
    expect(fromRecorded(recorded())).toEqual({
      eventId: newEvent.eventId,
      type: 'SoftwarePurchased',
      streamId: 'order-o-1',
      revision: 4n,
      position: { commit: 18_446_744_073_709_551_000n, prepare: 18_446_744_073_709_550_990n },
      data: newEvent.data,
      metadata,
      recordedAt: '2026-03-02T10:00:01.250Z',
    });
  });

  it('refuses events it cannot represent rather than guessing', () => {
    expect(() => fromRecorded(recorded({ isJson: false } as never))).toThrow(/not JSON/);
    expect(() => fromRecorded(recorded({ position: undefined } as never))).toThrow(/without a position/);
  });

  it('keeps both halves of a position through the text form used by APIs and checkpoints', () => {
    const position = toPosition({ commit: 18_446_744_073_709_551_000n, prepare: 18_446_744_073_709_550_990n });
    expect(formatPosition(position)).toBe('18446744073709551000/18446744073709550990');
    expect(parsePosition(formatPosition(position))).toEqual(position);
    const aligned = toPosition({ commit: 4096n, prepare: 4096n });
    expect(parsePosition(formatPosition(aligned))).toEqual(aligned);
    // Same commit, later prepare: a later event of the same transaction.
    expect(comparePositions(toPosition({ commit: 10n, prepare: 5n }), toPosition({ commit: 10n, prepare: 6n }))).toBe(-1);
  });

  it('starts reads at the start for START and at the exact pair otherwise', () => {
    expect(toReadPosition(undefined)).toBe('start');
    expect(toReadPosition(START)).toBe('start');
    expect(toReadPosition({ commit: 0n, prepare: 0n })).toEqual({ commit: 0n, prepare: 0n });
    expect(toReadPosition({ commit: 300n, prepare: 293n })).toEqual({ commit: 300n, prepare: 293n });
  });

  it('filters on the server by stream prefix, else by type prefix, else drops only the server’s own types', () => {
    expect(toServerFilter({ streamPrefixes: ['order-'], eventTypes: ['OrderCancelled'] })).toEqual({
      filterOn: 'streamName',
      prefixes: ['order-'],
      checkpointInterval: 1,
    });
    expect(toServerFilter({ eventTypes: ['OrderCancelled'] })).toEqual({ filterOn: 'eventType', prefixes: ['OrderCancelled'], checkpointInterval: 1 });
    const everything = toServerFilter(undefined);
    expect(everything).toEqual({ filterOn: 'eventType', regex: '^[^$].*', checkpointInterval: 1 });
    const regex = new RegExp((everything as { regex: string }).regex);
    expect(regex.test('SoftwarePurchased')).toBe(true);
    expect(regex.test('$statsCollected')).toBe(false);
    const checkpointReached = () => undefined;
    expect(toServerFilter(undefined, checkpointReached).checkpointReached).toBe(checkpointReached);
  });

  it('recognises the server’s own events by type or stream', () => {
    expect(isSystemEvent({ type: '$metadata', streamId: '$$order-1' })).toBe(true);
    expect(isSystemEvent({ type: '$>', streamId: '$ce-order' })).toBe(true);
    expect(isSystemEvent({ type: 'Anything', streamId: '$projections-x' })).toBe(true);
    expect(isSystemEvent({ type: 'SoftwarePurchased', streamId: 'order-1' })).toBe(false);
  });

  it('translates esdb:// connection strings to kurrentdb://, the scheme the client expects', () => {
    expect(normaliseConnectionString('esdb://node1:2113?tls=false')).toBe('kurrentdb://node1:2113?tls=false');
    expect(normaliseConnectionString('esdb+discover://cluster.local:2113')).toBe('kurrentdb+discover://cluster.local:2113');
    expect(normaliseConnectionString('kurrentdb://a:2113,b:2113')).toBe('kurrentdb://a:2113,b:2113');
    expect(normaliseConnectionString('kdb://a:2113')).toBe('kdb://a:2113');
  });
});
