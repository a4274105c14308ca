import type { AppConfig } from '@csp/config';
import { comparePositions, parsePosition, type EventStore, type Position } from '@csp/event-store';
import { activityLogProjection } from '@csp/audit';
import { ActivityLogQueries, type VerifiedReadModels } from '@csp/audit/history';
import { CustomersQueries } from '@csp/customers';
import { PRODUCT_STREAMS, rebuildReadModel, type RebuildProgress, type ReadModelStore } from '@csp/projections';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { RedisReadModelStore } from '@csp/projections/redis';

export interface AuditReadModel {
  readonly readModels: VerifiedReadModels;
  readonly store: ReadModelStore;
  /** `memory`: projected here from the event store, as the embedded API does at start-up; `redis`: the shared read model. */
  readonly source: 'memory' | 'redis';
  /** The read model's checkpoint, and whether it had reached `head` (a lagging read model shows missing entries). */
  readonly checkpoint?: string;
  readonly caughtUp: boolean;
  close(): Promise<void>;
}

/** The activity log and a customer's partner, read through the queries the API serves. */
function readModelsOver(store: ReadModelStore): VerifiedReadModels {
  const activityLog = new ActivityLogQueries(store);
  const customers = new CustomersQueries(store);
  return { activityLog: (query) => activityLog.activityLog(query), customer: (customerId) => customers.customer(customerId) };
}

/**
 * The activity-log read model as the API serves it. Without REDIS_URL the API keeps its read models
 * in memory, projected from the event store with the real projections: so does this, into a
 * MemoryReadModelStore. With REDIS_URL it is the shared Redis read model, read as it is (waiting up
 * to `waitMs` for it to reach `head`).
 */
export async function openActivityLogReadModel(
  config: Pick<AppConfig, 'redisUrl' | 'redisKeyPrefix'>,
  eventStore: EventStore,
  head: Position,
  options: { readonly waitMs?: number; readonly onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<AuditReadModel> {
  if (!config.redisUrl) {
    const store = new MemoryReadModelStore();
    await rebuildReadModel({ eventStore, store, projection: activityLogProjection, streamPrefixes: PRODUCT_STREAMS, onProgress: options.onProgress });
    const checkpoint = await store.checkpoint({ model: activityLogProjection.name, generation: await store.currentGeneration(activityLogProjection.name) });
    return {
      readModels: readModelsOver(store),
      store,
      source: 'memory',
      ...(checkpoint ? { checkpoint } : {}),
      caughtUp: true,
      close: () => store.close(),
    };
  }
  const store = new RedisReadModelStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix });
  const model = activityLogProjection.name;
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  let checkpoint: string | undefined;
  let caughtUp = false;
  try {
    for (;;) {
      checkpoint = await store.checkpoint({ model, generation: await store.currentGeneration(model) });
      const position = checkpoint !== undefined ? parsePosition(checkpoint) : undefined;
      caughtUp = position !== undefined ? comparePositions(position, head) >= 0 : head.commit < 0n;
      if (caughtUp || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    // An unreachable Redis: close the client, whose reconnect loop would otherwise keep the CLI alive.
    await store.close().catch(() => undefined);
    throw error;
  }
  return { readModels: readModelsOver(store), store, source: 'redis', ...(checkpoint ? { checkpoint } : {}), caughtUp, close: () => store.close() };
}
