import type { EventStore } from '@csp/event-store';
import { checkpointPosition, LAG_COUNT_LIMIT, PRODUCT_STREAMS, type ReadSide } from '@csp/projections';
import type { Metrics, ReadModelLagSample } from '@csp/observability';

/**
 * Feeds the read-model lag gauges from the read side's own lag report (the one /health/ready
 * gives), plus the age of the oldest event each lagging model still has to apply.
 */
export function observeReadModelLag(metrics: Metrics | undefined, readSide: ReadSide, store: EventStore): void {
  metrics?.measureReadModelLag(async (): Promise<ReadModelLagSample[]> => {
    const nowMs = Date.now();
    return Promise.all(
      (await readSide.lag()).map(async (lag) => {
        if (lag.caughtUp) return { model: lag.model, events: 0, seconds: 0 };
        const [oldest] = await store.readAll({ after: checkpointPosition(lag.checkpoint), maxCount: 1, filter: { streamPrefixes: PRODUCT_STREAMS } });
        const seconds = oldest ? Math.max(0, (nowMs - Date.parse(oldest.recordedAt)) / 1000) : 0;
        return { model: lag.model, events: lag.lagEvents ?? LAG_COUNT_LIMIT, seconds };
      }),
    );
  });
}
