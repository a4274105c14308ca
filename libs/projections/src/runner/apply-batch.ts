import { formatPosition, type RecordedEvent } from '@csp/event-store';
import type { Projection } from '../projection';
import type { Namespace, ReadModelOp, ReadModelStore } from '../stores/port';

/** A projection threw on an event: the read model stops there and says so, rather than skip it. */
export class PoisonEventError extends Error {
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'eventId' | 'type' | 'streamId' | 'revision' | 'position'>,
    override readonly cause: unknown,
    /** Where the read model stands: the events of the batch before this one were committed. */
    readonly checkpoint?: string,
  ) {
    super(
      `Projection ${projection} failed on ${event.type} ${event.eventId} (${event.streamId}@${event.revision}, position ${formatPosition(event.position)}): ${(cause as Error)?.message ?? String(cause)}`,
    );
    this.name = 'PoisonEventError';
  }
}

export interface BatchOptions {
  readonly expectedCheckpoint: string | undefined;
  readonly leaseOwner?: string;
  readonly requireCurrentGeneration?: boolean;
}

/**
 * Projects a batch and commits its changes with the checkpoint of its last event, atomically.
 * Documents are read once per batch; later events of the batch see earlier events' changes.
 * Returns the new checkpoint.
 */
export async function applyBatch(
  projection: Projection,
  store: ReadModelStore,
  ns: Namespace,
  events: readonly RecordedEvent[],
  options: BatchOptions,
): Promise<string> {
  const relevant = events.filter((e) => projection.eventTypes.has(e.type));
  const keys = [...new Set(relevant.flatMap((e) => projection.reads(e)))];
  const fetched = await store.getMany(ns, keys);
  const docs = new Map<string, unknown>(keys.map((key, i) => [key, fetched[i]]));
  const ops: ReadModelOp[] = [];
  let applied = events.length;
  let poison: PoisonEventError | undefined;
  for (const [index, event] of events.entries()) {
    if (!projection.eventTypes.has(event.type)) continue;
    let changes: ReadModelOp[];
    try {
      changes = projection.apply(event, docs);
    } catch (error) {
      // Keep what came before the poison event, so the checkpoint stops right in front of it.
      poison = new PoisonEventError(projection.name, event, error, index > 0 ? formatPosition(events[index - 1]!.position) : options.expectedCheckpoint);
      applied = index;
      break;
    }
    for (const change of changes) {
      if (change.op === 'put') docs.set(change.key, change.value);
      else if (change.op === 'del') docs.set(change.key, undefined);
      ops.push(change);
    }
  }
  let checkpoint = options.expectedCheckpoint;
  if (applied > 0) {
    checkpoint = formatPosition(events[applied - 1]!.position);
    await store.commit(ns, {
      ops: compact(ops),
      expectedCheckpoint: options.expectedCheckpoint,
      checkpoint,
      leaseOwner: options.leaseOwner,
      requireCurrentGeneration: options.requireCurrentGeneration,
    });
  }
  if (poison) throw poison;
  return checkpoint!;
}

/** Only the last write of a document in a batch matters: send less to the store. */
function compact(ops: readonly ReadModelOp[]): ReadModelOp[] {
  const lastWrite = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.op === 'put' || op.op === 'del') lastWrite.set(op.key, i);
  });
  return ops.filter((op, i) => (op.op === 'put' || op.op === 'del' ? lastWrite.get(op.key) === i : true));
}
