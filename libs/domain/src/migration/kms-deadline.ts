import { invalid } from '../shared/errors';
import { DAY_MS, isoOf, parseDateOrInstant } from '../shared/time';

/** KMS activations last 180 days before they must renew. */
export const KMS_RENEWAL_DAYS = 180;

/**
 * Moving a customer from volume licensing (KMS) to CSP (MAK): the MAK must be deployed before the
 * last KMS activation expires, 180 days after it, or machines stop being activated.
 */
export function kmsToMakDeadline(lastKmsActivation: string): { lastKmsActivation: string; renewalDays: number; deadline: string } {
  const ms = parseDateOrInstant(lastKmsActivation);
  if (ms === undefined) throw invalid('invalid_date', 'lastActivation must be an ISO-8601 date or instant', { field: 'lastActivation' });
  return { lastKmsActivation: isoOf(ms), renewalDays: KMS_RENEWAL_DAYS, deadline: isoOf(ms + KMS_RENEWAL_DAYS * DAY_MS) };
}
