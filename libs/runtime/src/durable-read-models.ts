import { hostname } from 'node:os';
import { comparePositions, formatPosition, parsePosition, type EventStore, type RecordedEvent } from '@csp/event-store';
import { projectionFingerprint, type Projection } from '@csp/projections';
import type { SqliteReadModelStore } from '@csp/projections/sqlite';
import type { JsonLogger } from '@csp/application';

/** The key under which the store remembers which event store its read models were built from. */
const EVENT_STORE_IDENTITY = '$event-store';

/**
 * Which event store this is: its first event, by id and position. The position matters since a
 * store can be copied to another (npm run store -- copy) with the same event ids at other
 * positions, where checkpoints of the original would name the wrong events.
 */
const identityOf = (first: RecordedEvent) => `${first.eventId}@${formatPosition(first.position)}`;

/** Recorded before positions were part of it, an identity is the first event's id alone: the same store, then, if that matches. */
const isIdentityOf = (recorded: string | undefined, first: RecordedEvent | undefined) =>
  first !== undefined && (recorded === identityOf(first) || recorded === first.eventId);

/**
 * Durable read models are only as good as what they were built from. Before the read side starts
 * from their checkpoints, forget any model that cannot continue: built from another event store
 * (its first event differs, or is at another position: the data directory's event store was
 * replaced, or the product moved to a copy of it on another store; or none was
 * recorded, because the store was still empty when the models were opened), ahead of this one (a
 * restore to an older backup), or by another version of its projection. Each such model is rebuilt
 * from the first event by the runner, and the log says why.
 */
export async function reconcileDurableReadModels(
  store: SqliteReadModelStore,
  eventStore: EventStore,
  projections: readonly Projection[],
  logger: JsonLogger,
): Promise<void> {
  const [first] = await eventStore.readAll({ maxCount: 1 });
  const recorded = await store.fingerprint(EVENT_STORE_IDENTITY);
  const head = await eventStore.headPosition();
  for (const projection of projections) {
    const fingerprint = projectionFingerprint(projection);
    const checkpoint = await store.checkpoint({ model: projection.name, generation: await store.currentGeneration(projection.name) });
    const position = checkpoint !== undefined ? parsePosition(checkpoint) : undefined;
    const built = await store.fingerprint(projection.name);
    let reason: string | undefined;
    // A model with a checkpoint was built from some event store: this one only if its first event is the one recorded.
    if (checkpoint !== undefined && !isIdentityOf(recorded, first))
      reason = recorded ? 'built from another event store' : 'built from an event store not recorded';
    else if (position && comparePositions(position, head) > 0) reason = `ahead of the event store (checkpoint ${checkpoint}, head of the store older)`;
    else if (built !== undefined && built !== fingerprint) reason = 'built by another version of its projection';
    if (reason) {
      logger.warn('Read model rebuilt from the first event', { model: projection.name, reason });
      await store.forget(projection.name);
    }
    await store.recordFingerprint(projection.name, fingerprint);
  }
  // An empty store has no identity yet: it is recorded at the first start that finds an event.
  if (first) await store.recordFingerprint(EVENT_STORE_IDENTITY, identityOf(first));
}

/**
 * Records which event store the read models are built from, if it was still empty at start: called
 * when the process stops, so that the next start can tell the store it finds is the same one.
 */
export async function recordEventStoreIdentity(store: SqliteReadModelStore, eventStore: EventStore): Promise<void> {
  if ((await store.fingerprint(EVENT_STORE_IDENTITY)) !== undefined) return;
  const [first] = await eventStore.readAll({ maxCount: 1 });
  if (first) await store.recordFingerprint(EVENT_STORE_IDENTITY, identityOf(first));
}

/**
 * Leases still held by a process of this machine that is gone (a SIGKILL, a crash): released, so
 * that a restarted API projects at once instead of standing by until they expire. Owner ids are
 * `<host>-<pid>-<random>` (runtime.ts); a holder on another machine, or alive here, keeps its lease.
 * Called before this process takes any lease, so one held under this process's own pid is an
 * earlier incarnation's: a restarted container's process is pid 1 again, on the same host name.
 */
export async function releaseAbandonedLeases(store: SqliteReadModelStore, models: readonly string[], logger: JsonLogger): Promise<void> {
  for (const model of models) {
    const holder = await store.leaseHolder(model);
    const match = holder ? /^(.*)-(\d+)-[0-9a-f]+$/.exec(holder) : null;
    if (!holder || !match || match[1] !== hostname()) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    logger.info('Released the read-model lease of a process that is gone', { model, holder });
    await store.releaseLease(model, holder);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
