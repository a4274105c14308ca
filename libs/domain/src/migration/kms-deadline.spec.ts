import { DomainError } from '../shared/errors';
import { kmsToMakDeadline } from './kms-deadline';

describe('KMS to MAK migration deadline', () => {
  it('is 180 days after the last KMS activation', () => {
    expect(kmsToMakDeadline('2026-01-10')).toEqual({ lastKmsActivation: '2026-01-10T00:00:00.000Z', renewalDays: 180, deadline: '2026-07-09T00:00:00.000Z' });
    expect(kmsToMakDeadline('2024-01-01T12:00:00Z').deadline).toBe('2024-06-29T12:00:00.000Z'); // leap year: 29 Feb counts
  });

  it.each(['', 'soon', '2026-02-30', '2026-13-01', '01/10/2026'])('refuses %p', (text) => {
    expect(() => kmsToMakDeadline(text)).toThrow(DomainError);
  });
});
