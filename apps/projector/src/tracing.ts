import { startTracing } from '@csp/observability/tracing';

/** Loaded first by main.ts: the SDK must patch ioredis and the KurrentDB client before anything requires them. */
export const tracing = startTracing('csp-projector');
