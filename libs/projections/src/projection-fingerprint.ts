import { createHash } from 'node:crypto';
import type { Projection } from './projection';

/**
 * What a projection's read model was built by: its name, the events it reads and the code of its
 * functions. A release that changes a projection changes this, and the model is rebuilt (the
 * embedded store in place at start, Redis beside the live generation): a change confined to a
 * helper it calls is not seen, so `npm run projections:rebuild` then.
 */
export function projectionFingerprint(projection: Projection): string {
  const hash = createHash('sha256');
  hash
    .update(projection.name)
    .update('\0')
    .update([...projection.eventTypes].sort().join(','))
    .update('\0');
  for (const key of Object.keys(projection).sort()) {
    const member = (projection as unknown as Record<string, unknown>)[key];
    if (typeof member === 'function') hash.update(key).update('\0').update(member.toString()).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}
