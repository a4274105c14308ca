import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Link, type Span, type SpanOptions } from '@opentelemetry/api';

/** The product's own spans (HTTP, commands, appends, projection batches, webhook deliveries). */
export const tracer = trace.getTracer('csp-software-orders');

/**
 * Whether this process traces: the SDK registers a propagator when it starts, and nothing else
 * does. What costs something even as a no-op (an HTTP server span per request) asks this first.
 */
export function tracingEnabled(): boolean {
  return propagation.fields().length > 0;
}

/**
 * The W3C traceparent of the active span, for an event's metadata: whoever reads the event later
 * (a projection, a webhook delivery) links its span to the command that appended it. Undefined
 * when tracing is off or nothing is traced here.
 */
export function currentTraceparent(): string | undefined {
  if (!trace.getActiveSpan()?.isRecording()) return undefined;
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Links to the spans whose traceparent the events' metadata recorded (one per distinct span). */
export function linksFrom(metadata: readonly { readonly traceparent?: string }[]): Link[] {
  // No propagator is registered while tracing is off: nothing could be linked, so look at nothing.
  if (!tracingEnabled()) return [];
  const links = new Map<string, Link>();
  for (const { traceparent } of metadata) {
    if (traceparent === undefined || links.has(traceparent)) continue;
    const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
    if (spanContext && trace.isSpanContextValid(spanContext)) links.set(traceparent, { context: spanContext });
  }
  return [...links.values()];
}

/**
 * Runs `work` in a new active span and ends it. A failure is recorded by its error's name only:
 * messages may quote what a caller sent. With tracing off the span is the API's no-op one.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
