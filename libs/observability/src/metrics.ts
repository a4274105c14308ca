import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One read model's distance behind the log, as a scrape reports it. */
export interface ReadModelLagSample {
  readonly model: string;
  /** Events it still has to apply (counted up to a cap: the read side's LAG_COUNT_LIMIT). */
  readonly events: number;
  /** How long the oldest event it still has to apply has been in the store; 0 when caught up. */
  readonly seconds: number;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FAST_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The process's Prometheus instruments, in a registry of its own (several runtimes may share a test
 * process; the default registry would refuse the second). Labels hold bounded values only — route
 * patterns, command names, outcome codes, read-model names — never ids, tenants, users or keys.
 */
export class Metrics {
  readonly registry = new Registry();

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }

  readonly httpRequestDuration = this.histogram(
    'csp_http_request_duration_seconds',
    'HTTP requests by method, route pattern (unmatched for none) and status',
    SECONDS,
    ['method', 'route', 'status'],
  );
  readonly commands = this.counter('csp_commands_total', 'Commands handled, by command and outcome: accepted, conflict, or the refusal code', [
    'command',
    'outcome',
  ]);
  readonly appendDuration = this.histogram(
    'csp_event_store_append_duration_seconds',
    'Event store appends (one stream, one commit), whatever their outcome',
    FAST_SECONDS,
    ['outcome'],
  );
  readonly appendEvents = this.histogram('csp_event_store_append_events', 'Events per append', [1, 2, 3, 5, 10, 20, 50, 100]);
  readonly projectionBatchDuration = this.histogram(
    'csp_projection_batch_duration_seconds',
    'Projection batches (applied and committed with their checkpoint), by read model',
    FAST_SECONDS,
    ['model'],
  );
  readonly webhookDeliveries = this.counter(
    'csp_webhook_deliveries_total',
    'Webhook delivery attempts by outcome: delivered, failed (retried later) or dead_lettered (attempts exhausted)',
    ['outcome'],
  );
  readonly webhookDeadLetters = this.gauge(
    'csp_webhook_dead_letters',
    'Dead-lettered webhook deliveries not replayed since, as the delivering process counts them (0 elsewhere)',
  );
  readonly keyAccessThrottled = this.counter(
    'csp_key_access_throttled_total',
    'Key reveals and link issues refused for a key-access limit, by action and scope (user or tenant)',
    ['action', 'scope'],
  );
  readonly sseClients = this.gauge('csp_sse_clients', 'Clients connected to the event stream (GET /v1/events)');

  private measureLag?: () => Promise<readonly ReadModelLagSample[]>;
  private lastLag?: { readonly at: number; readonly samples: Promise<readonly ReadModelLagSample[] | undefined> };

  /** A gauge by read model, filled from the lag measure when scraped. */
  private lagGauge(name: string, help: string, value: (sample: ReadModelLagSample) => number): Gauge<'model'> {
    const gauge: Gauge<'model'> = new Gauge({
      name,
      help,
      labelNames: ['model'] as const,
      registers: [this.registry],
      collect: () => this.fillLag(gauge, value),
    });
    return gauge;
  }

  constructor() {
    this.lagGauge('csp_read_model_lag_events', 'Events a read model still has to apply (counted up to 1000)', (sample) => sample.events);
    this.lagGauge('csp_read_model_lag_seconds', 'Age of the oldest event a read model still has to apply; 0 when caught up', (sample) => sample.seconds);
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Read-model lag is measured when scraped, not kept up to date: the measure reads the store, and
   * a scrape every 15 s costs less than a measure per batch. Both gauges share one measure a scrape.
   */
  measureReadModelLag(measure: () => Promise<readonly ReadModelLagSample[]>): void {
    this.measureLag = measure;
  }

  private async fillLag(gauge: Gauge<'model'>, value: (sample: ReadModelLagSample) => number): Promise<void> {
    const measure = this.measureLag;
    if (!measure) return;
    if (!this.lastLag || Date.now() - this.lastLag.at > 1_000) {
      // A store that cannot answer leaves the gauges empty rather than fail the whole scrape.
      this.lastLag = { at: Date.now(), samples: measure().catch(() => undefined) };
    }
    const samples = await this.lastLag.samples;
    gauge.reset();
    for (const sample of samples ?? []) gauge.set({ model: sample.model }, value(sample));
  }

  /** The exposition text and its content type, for GET /metrics. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
