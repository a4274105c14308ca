import type { RecordedEvent } from '@csp/event-store';
import { applyBatch, type ReadModelDump, type ReadModelStore } from '@csp/projections';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { PROJECTIONS } from '@csp/runtime/projections';

/** One read model's documents, indexes and checkpoint, named so that a difference says which model it is in. */
export type NamedDump = { readonly model: string } & ReadModelDump;

/**
 * Rebuilds every read model in memory from `events` alone, each in one batch, and answers a
 * comparison of any store with it: each model as the store's queries read it (its current
 * generation) beside the rebuilt one. Equal pairs mean that projecting, however it was interrupted,
 * applied nothing twice and skipped nothing.
 */
export async function freshRebuildOf(events: readonly RecordedEvent[]): Promise<(store: ReadModelStore) => Promise<[live: NamedDump, rebuilt: NamedDump][]>> {
  const fresh = new MemoryReadModelStore();
  for (const projection of PROJECTIONS) {
    await applyBatch(projection, fresh, { model: projection.name, generation: 1 }, events, { expectedCheckpoint: undefined });
  }
  return (store) =>
    Promise.all(
      PROJECTIONS.map(async ({ name: model }): Promise<[NamedDump, NamedDump]> => {
        const generation = await store.currentGeneration(model);
        return [
          { model, ...(await store.dump({ model, generation })) },
          { model, ...(await fresh.dump({ model, generation: 1 })) },
        ];
      }),
    );
}
