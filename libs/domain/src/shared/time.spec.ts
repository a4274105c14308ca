import { itReads, itRefuses } from '../testing/readings';
import { parseDateOrInstant, parseInstantRange, parseRangeEnd } from './time';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('dates and instants as people write them', () => {
  // A date alone is midnight UTC; an instant has Z or an offset.
  itReads('reads %p as %p', (text: string) => iso(parseDateOrInstant(text)), [
    ['2026-03-02', '2026-03-02T00:00:00.000Z'],
    ['2026-03-02T12:00:00+02:00', '2026-03-02T10:00:00.000Z'],
    ['2026-03-02 12:00Z', '2026-03-02T12:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ]);

  itRefuses('refuses %p', parseDateOrInstant, [
    '2026-02-29',
    '2026-02-30T00:00:00Z',
    '2026-04-31',
    '2026-13-01',
    '2026-03-02T24:00:00Z',
    '2026-03-02T10:00:00',
    'now',
    '1709373600',
    'March 2, 2026',
    ' 2026-03-02',
  ]);
});

describe('an inclusive range of instants', () => {
  it('takes a date alone as `to` to the last millisecond of that day (UTC), and an instant as it is', () => {
    const range = parseInstantRange('2026-03-01', '2026-03-31');
    expect(range).toEqual({ from: Date.parse('2026-03-01T00:00:00.000Z'), to: Date.parse('2026-03-31T23:59:59.999Z') });
    expect(parseInstantRange('2026-03-01', '2026-03-31T12:00:00Z')).toEqual({
      from: Date.parse('2026-03-01T00:00:00.000Z'),
      to: Date.parse('2026-03-31T12:00:00.000Z'),
    });
    expect(parseInstantRange('2026-03-01', '2026-03-01')).toEqual({ from: Date.parse('2026-03-01T00:00:00.000Z'), to: Date.parse('2026-03-01T23:59:59.999Z') });
  });

  it('names the first bound at fault: missing, malformed (30 February), or from after to', () => {
    expect(parseInstantRange(undefined, '2026-03-31')).toEqual({ field: 'from', problem: 'missing' });
    expect(parseInstantRange('2026-03-01', '')).toEqual({ field: 'to', problem: 'missing' });
    expect(parseInstantRange('yesterday', '2026-03-31')).toEqual({ field: 'from', problem: 'malformed' });
    expect(parseInstantRange('2026-02-01', '2026-02-29')).toEqual({ field: 'to', problem: 'malformed' });
    expect(parseInstantRange('2026-03-02', '2026-03-01T23:59:59Z')).toEqual({ field: 'from', problem: 'after-to' });
  });
});

describe('the end of an inclusive range', () => {
  // The last millisecond of a date alone, and an instant itself.
  itReads('given as %p is %p', (text: string) => iso(parseRangeEnd(text)), [
    ['2026-03-31', '2026-03-31T23:59:59.999Z'],
    ['2024-02-29', '2024-02-29T23:59:59.999Z'],
    ['2026-03-31T12:00:00+02:00', '2026-03-31T10:00:00.000Z'],
  ]);

  itRefuses('is nothing given as %p', parseRangeEnd, ['2026-02-29', 'March 31, 2026']);
});
