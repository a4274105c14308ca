/** The tracing of a process: on only when an OTLP endpoint is configured. */
export interface Tracing {
  readonly enabled: boolean;
  /** Sends the spans still buffered (on a clean stop). */
  shutdown(): Promise<void>;
}
