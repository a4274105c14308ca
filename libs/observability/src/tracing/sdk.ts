import { KurrentDBInstrumentation } from '@kurrent/opentelemetry';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Tracing } from './tracing';

/**
 * @public Loaded by name with require() in start-tracing.ts, only when tracing is asked for.
 *
 * The NodeSDK reads the exporter (OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL: http/protobuf, http/json
 * or grpc), the sampler (OTEL_TRACES_SAMPLER) and the resource (OTEL_SERVICE_NAME…) itself. Metrics
 * are Prometheus's (GET /metrics) and logs are JSON lines: neither is sent over OTLP.
 */
export function startSdk(serviceName: string | undefined): Tracing {
  const sdk = new NodeSDK({
    ...(serviceName ? { serviceName } : {}),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new IORedisInstrumentation({
        // A Redis call outside any request or batch (lease renewals, polls) would be a trace of its own every few ms.
        requireParentSpan: true,
        // The command only: arguments hold read-model documents and keys (customer data, fingerprints).
        dbStatementSerializer: (command) => command,
      }),
      new KurrentDBInstrumentation(),
    ],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
