import { SpanKind } from '@opentelemetry/api';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from '@csp/event-store';
import type { Metrics } from './metrics';
import { currentTraceparent, inSpan } from './tracing/trace-context';

/**
 * The event store with its appends measured and traced, whatever the adapter: the composition root
 * wraps the one store it opens. Each appended event's metadata records the traceparent of the span
 * that appended it (the command's), which projections and webhook deliveries link to.
 */
export function observedEventStore(store: EventStore, metrics: Metrics | undefined): EventStore {
  return {
    append(streamId, events, expectedRevision) {
      const traceparent = currentTraceparent();
      const traced: readonly NewEvent[] = traceparent ? events.map((event) => ({ ...event, metadata: { ...event.metadata, traceparent } })) : events;
      return inSpan(
        'event_store.append',
        { kind: SpanKind.INTERNAL, attributes: { 'csp.stream_id': streamId, 'csp.event_count': events.length } },
        async () => {
          const started = process.hrtime.bigint();
          let outcome = 'error';
          try {
            const result = await store.append(streamId, traced, expectedRevision);
            outcome = 'appended';
            metrics?.appendEvents.observe(events.length);
            return result;
          } catch (error) {
            if (error instanceof WrongExpectedRevisionError) outcome = 'conflict';
            throw error;
          } finally {
            metrics?.appendDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
          }
        },
      );
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    ...(store.readIndexed && { readIndexed: (index, options) => store.readIndexed!(index, options) }),
    subscribe: (handler, options) => store.subscribe(handler, options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
