// Operations: the Prometheus instruments, the event store's measuring decorator, and the trace
// context helpers the platform's spans use. The tracing SDK itself is started by the apps' entry
// points (@csp/observability/tracing), before anything it instruments is loaded.
export { Metrics, type ReadModelLagSample } from './metrics';
export { observedEventStore } from './observed-event-store';
export { currentTraceparent, inSpan, linksFrom, tracer, tracingEnabled } from './tracing/trace-context';
