import type { Tracing } from './tracing';

const OFF: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Whether the standard OpenTelemetry variables ask for traces: an OTLP endpoint (all signals, or
 * traces only), and neither OTEL_SDK_DISABLED nor OTEL_TRACES_EXPORTER=none.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (!set(env.OTEL_EXPORTER_OTLP_ENDPOINT) && !set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return false;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() !== 'none';
}

/**
 * Starts the OpenTelemetry SDK when asked, configured by the OTEL_* variables alone. Without an
 * endpoint the SDK is not even loaded: the product's spans go to the API's no-op tracer. Must run
 * before ioredis and the KurrentDB client are loaded, so that their instrumentations can patch them.
 */
export function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Tracing {
  if (!tracingRequested(env)) return OFF;
  // Loaded here only: requiring the SDK costs start-up time and memory an install without traces never pays.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSdk } = require('./sdk') as typeof import('./sdk');
  return startSdk(set(env.OTEL_SERVICE_NAME) || /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '') ? undefined : defaultServiceName);
}
