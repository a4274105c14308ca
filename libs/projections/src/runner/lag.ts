import { comparePositions, formatPosition, parsePosition, START, type EventFilter, type EventStore, type Position } from '@csp/event-store';

/** Lag is counted exactly up to this many events; beyond it only "not caught up" is reported. */
export const LAG_COUNT_LIMIT = 1000;

export interface LagMeasure {
  /** Position of the last event in the store, whatever its stream. */
  readonly head: string;
  /** Events the read model still has to apply, when at most LAG_COUNT_LIMIT. */
  readonly lagEvents?: number;
  readonly caughtUp: boolean;
}

export const checkpointPosition = (checkpoint: string | undefined): Position => (checkpoint === undefined ? START : (parsePosition(checkpoint) ?? START));

/**
 * Whether a read model whose last applied event is at `applied` has applied everything up to
 * `target`. Events the read model does not follow (other streams, system events) can sit at the
 * head of the log, so "nothing it follows lies in between" counts as reached too — once the target
 * itself is readable: PostgreSQL holds a committed event back while an older transaction is still
 * running, and until then nothing readable lies after `applied` although the target is not applied.
 */
export async function hasApplied(eventStore: EventStore, filter: EventFilter, applied: Position, target: Position): Promise<boolean> {
  if (comparePositions(applied, target) >= 0) return true;
  const [next] = await eventStore.readAll({ after: applied, maxCount: 1, filter });
  if (next !== undefined) return comparePositions(next.position, target) > 0;
  return comparePositions(await eventStore.headPosition(), target) >= 0;
}

/** How far a read model whose last applied event is at `applied` is behind the log. */
export async function measureLag(eventStore: EventStore, filter: EventFilter, applied: Position): Promise<LagMeasure> {
  const head = await eventStore.headPosition();
  const pending = comparePositions(applied, head) >= 0 ? [] : await eventStore.readAll({ after: applied, maxCount: LAG_COUNT_LIMIT + 1, filter });
  return {
    head: formatPosition(head),
    ...(pending.length <= LAG_COUNT_LIMIT ? { lagEvents: pending.length } : {}),
    caughtUp: pending.length === 0,
  };
}
