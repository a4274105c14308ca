import { DomainError } from '../shared/errors';
import { kmsToMakDeadline } from './kms-deadline';

describe('KMS to MAK migration deadline', () => {
  it('is 180 days after the last KMS activation; a bare date means midnight UTC', () => {
    expect(kmsToMakDeadline('2026-01-10')).toEqual({ lastKmsActivation: '2026-01-10T00:00:00.000Z', renewalDays: 180, deadline: '2026-07-09T00:00:00.000Z' });
  });

  it('counts 29 February in a leap year', () => {
    expect(kmsToMakDeadline('2024-01-01T12:00:00Z').deadline).toBe('2024-06-29T12:00:00.000Z');
    expect(kmsToMakDeadline('2025-01-01T12:00:00Z').deadline).toBe('2025-06-30T12:00:00.000Z');
  });

  it('accepts an instant with an offset and answers in UTC', () => {
    expect(kmsToMakDeadline('2026-01-10T01:00:00+02:00')).toEqual({
      lastKmsActivation: '2026-01-09T23:00:00.000Z',
      renewalDays: 180,
      deadline: '2026-07-08T23:00:00.000Z',
    });
  });

  it.each(['', 'soon', '2026-02-30', '2026-13-01', '01/10/2026', '2026-01-10T10:00:00', 'January 10, 2026'])('refuses %p as an invalid date', (text) => {
    let refusal: unknown;
    try {
      kmsToMakDeadline(text);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toEqual(expect.objectContaining({ kind: 'invalid', code: 'invalid_date', details: { field: 'lastActivation' } }));
  });
});
