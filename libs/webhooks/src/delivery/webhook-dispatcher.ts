import { randomUUID } from 'node:crypto';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { context, propagation, SpanKind } from '@opentelemetry/api';
import type { Logger } from '@csp/config';
import { inSpan, linksFrom, type Metrics } from '@csp/observability';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  START,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@csp/event-store';
import { WEBHOOK_STREAM_PREFIX, webhookStreamId } from '@csp/domain';
import type { ProductKeyVault, ResolvedAddress } from '@csp/security';
import { publishedEvent, PUBLISHED_STREAMS } from '@csp/projections';
import { evolveWebhook, initialWebhookState, type WebhookRegistered } from '../webhook.events';
import { decideDelivery, type CheckpointWebhook, type DeadLetterWebhookDelivery } from './delivery.decide';
import { pinnedLookup, type WebhookDestinations } from './destinations';
import { signWebhook } from './signature';

export interface WebhookDispatcherOptions {
  readonly store: EventStore;
  readonly vault: ProductKeyVault;
  /** Where deliveries may go: checked again at every attempt, on the addresses the host resolves to then. */
  readonly destinations: WebhookDestinations;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** Attempts per event before it is dead-lettered. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt (capped at 30 s). */
  readonly baseDelayMs?: number;
  readonly timeoutMs?: number;
  /** At most one checkpoint event per webhook per this interval: duplicates after a crash stay few. */
  readonly checkpointEveryMs?: number;
  /**
   * With several processes that could deliver (projectors, or APIs that project): only the holder
   * of this lease delivers; the others stand by and take over when it lapses.
   */
  readonly lease?: DispatchLease;
  /** Where attempts and dead letters are counted. */
  readonly metrics?: Metrics;
}

/** A lease shared by the processes that could deliver webhooks (the read-model store's leases). */
export interface DispatchLease {
  readonly ttlMs: number;
  /** Takes or renews the lease; false while another process holds it. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

interface Delivery {
  readonly webhook: WebhookRegistered['data'];
  readonly secret: string;
  subscription?: Subscription;
  delivered: Position;
  lastCheckpoint: number;
  checkpointed: Position;
}

const system = { sub: 'webhook-dispatcher', tid: '00000000-0000-0000-0000-000000000000', roles: [] as string[] };

/**
 * Delivers every published event to each registered webhook, in order and at least once: a POST
 * signed with HMAC-SHA256, retried with exponential back-off, dead-lettered after the last attempt
 * (delivery then goes on). Progress is checkpointed in the webhook's stream, so a restart resumes
 * there; an operator can replay from any position.
 */
export class WebhookDispatcher {
  private readonly deliveries = new Map<string, Delivery>();
  private registrations?: Subscription;
  private stopped = false;
  /** Delivering now (without a lease: from start to stop; with one: while it is held). */
  private active = false;
  private leaseTimer?: NodeJS.Timeout;
  private leaseTurn: Promise<void> = Promise.resolve();
  /** Per webhook, the positions of its dead letters no replay has covered since (the dead-letters gauge). */
  private readonly deadLetters = new Map<string, Position[]>();

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /** Whether this process is the one delivering. */
  get delivering(): boolean {
    return this.active;
  }

  async start(): Promise<void> {
    const { lease } = this.options;
    if (!lease) return this.activate();
    await this.followLease(lease);
    this.leaseTimer = setInterval(() => void this.followLease(lease), Math.max(10, lease.ttlMs / 3));
    this.leaseTimer.unref();
  }

  /** One turn at a time: take or renew the lease, and start or stop delivering to match. */
  private followLease(lease: DispatchLease): Promise<void> {
    this.leaseTurn = this.leaseTurn.then(async () => {
      if (this.stopped) return;
      let held: boolean;
      try {
        held = await lease.acquire();
      } catch (error) {
        // The lease store is unreachable: keep doing what we do; the next turn asks again.
        this.options.logger?.warn('Webhook lease could not be renewed', { error: (error as Error).message });
        return;
      }
      if (held && !this.active) {
        this.options.logger?.info('Delivering webhooks (lease taken)');
        try {
          await this.activate();
        } catch (error) {
          // The store could not be read (or a secret decrypted): stand down and try again next turn,
          // rather than leave a rejected turn that would end the process from a timer.
          this.options.logger?.error('Webhook delivery could not start; trying again at the next lease turn', { error: (error as Error).message });
          await this.deactivate().catch(() => undefined);
        }
      } else if (!held && this.active) {
        this.options.logger?.warn('Webhook lease held by another process; standing by');
        await this.deactivate();
      }
    });
    return this.leaseTurn;
  }

  private async activate(): Promise<void> {
    this.active = true;
    this.deliveries.clear();
    this.deadLetters.clear();
    // Registrations, checkpoints and replay requests live in webhook-<id> streams: fold them, then follow them.
    const states = new Map<string, { registration?: WebhookRegistered['data']; from: Position }>();
    let after: Position = START;
    for (;;) {
      const page = await this.options.store.readAll({ after, maxCount: 1000, filter: { streamPrefixes: [WEBHOOK_STREAM_PREFIX] } });
      if (page.length === 0) break;
      for (const event of page) this.fold(states, event);
      after = page[page.length - 1]!.position;
    }
    for (const [, state] of states) if (state.registration) this.startDelivery(state.registration, state.from);
    this.registrations = this.options.store.subscribe(
      (events) => {
        for (const event of events) this.onWebhookEvent(event);
      },
      {
        after,
        filter: { streamPrefixes: [WEBHOOK_STREAM_PREFIX], eventTypes: ['WebhookRegistered', 'WebhookReplayRequested', 'WebhookDeliveryDeadLettered'] },
      },
    );
  }

  private fold(states: Map<string, { registration?: WebhookRegistered['data']; from: Position }>, event: RecordedEvent): void {
    const data = event.data as { webhookId: string; position?: string; fromPosition?: string };
    const state = states.get(data.webhookId) ?? { from: START };
    if (event.type === 'WebhookRegistered') state.registration = event.data as WebhookRegistered['data'];
    if (event.type === 'WebhookCheckpointed') state.from = parsePosition(data.position!) ?? state.from;
    if (event.type === 'WebhookReplayRequested') state.from = parsePosition(data.fromPosition!) ?? state.from;
    if (event.type === 'WebhookDeliveryDeadLettered' || event.type === 'WebhookReplayRequested') this.countDeadLetters(event);
    states.set(data.webhookId, state);
  }

  /**
   * A dead letter counts until a replay from before its position delivers its event again (a
   * replay that fails again dead-letters it anew): the gauge says how many wait for an operator.
   */
  private countDeadLetters(event: RecordedEvent): void {
    const data = event.data as { webhookId: string; position?: string; fromPosition?: string };
    const positions = this.deadLetters.get(data.webhookId) ?? [];
    const at = parsePosition((event.type === 'WebhookReplayRequested' ? data.fromPosition : data.position) ?? '');
    if (!at) return;
    const left = event.type === 'WebhookReplayRequested' ? positions.filter((p) => comparePositions(p, at) <= 0) : [...positions, at];
    this.deadLetters.set(data.webhookId, left);
    this.options.metrics?.webhookDeadLetters.set([...this.deadLetters.values()].reduce((sum, list) => sum + list.length, 0));
  }

  private onWebhookEvent(event: RecordedEvent): void {
    if (event.type === 'WebhookDeliveryDeadLettered') {
      this.countDeadLetters(event);
    } else if (event.type === 'WebhookRegistered') {
      const registration = event.data as WebhookRegistered['data'];
      if (!this.deliveries.has(registration.webhookId)) this.startDelivery(registration, START);
    } else if (event.type === 'WebhookReplayRequested') {
      this.countDeadLetters(event);
      const { webhookId, fromPosition } = event.data as { webhookId: string; fromPosition: string };
      const delivery = this.deliveries.get(webhookId);
      const from = parsePosition(fromPosition);
      if (!delivery || !from) return;
      void delivery.subscription?.stop().then(() => {
        if (this.active) this.startDelivery(delivery.webhook, from);
      });
    }
  }

  private startDelivery(webhook: WebhookRegistered['data'], from: Position): void {
    const secret = this.options.vault.decrypt(webhook.secret, { orderId: webhook.webhookId, keyId: 'webhook-secret' });
    const delivery: Delivery = { webhook, secret, delivered: from, checkpointed: from, lastCheckpoint: Date.now() };
    this.deliveries.set(webhook.webhookId, delivery);
    delivery.subscription = this.options.store.subscribe(
      async (events) => {
        for (const event of events) {
          if (!this.active) return;
          await this.deliver(delivery, event);
          delivery.delivered = event.position;
        }
        await this.checkpoint(delivery, false);
      },
      { after: from, batchSize: 50, filter: { streamPrefixes: PUBLISHED_STREAMS, ...(webhook.eventTypes?.length ? { eventTypes: webhook.eventTypes } : {}) } },
    );
    delivery.subscription.closed.catch((error: unknown) =>
      this.options.logger?.warn('Webhook delivery stopped', { webhookId: webhook.webhookId, error: (error as Error).message }),
    );
  }

  /** One event to one webhook, in a span linked to the span of the command that appended the event. */
  private deliver(delivery: Delivery, event: RecordedEvent): Promise<void> {
    const attributes = { 'csp.webhook_id': delivery.webhook.webhookId, 'csp.event_type': event.type };
    return inSpan('webhook delivery', { kind: SpanKind.PRODUCER, attributes, links: linksFrom([event.metadata]) }, () => this.attempts(delivery, event));
  }

  private async attempts(delivery: Delivery, event: RecordedEvent): Promise<void> {
    const body = JSON.stringify(publishedEvent(event));
    const maxAttempts = this.options.maxAttempts ?? 6;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts && this.active; attempt++) {
      // Real time, not the service clock: receivers check the timestamp against their own clocks.
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: OutgoingHttpHeaders = {
        'content-type': 'application/json',
        'x-csp-signature': signWebhook(delivery.secret, body, timestamp),
        'x-csp-event-id': event.eventId,
        'x-csp-event-type': event.type,
        'x-csp-delivery-attempt': String(attempt),
      };
      // A receiver that traces continues the delivery's trace (nothing is added while tracing is off).
      propagation.inject(context.active(), headers);
      const failure = await this.attempt(delivery.webhook.url, body, headers);
      this.options.metrics?.webhookDeliveries.inc({ outcome: failure === undefined ? 'delivered' : 'failed' });
      if (failure === undefined) return;
      lastError = failure;
      if (attempt < maxAttempts) await new Promise((r) => setTimeout(r, Math.min((this.options.baseDelayMs ?? 500) * 2 ** (attempt - 1), 30_000)));
    }
    if (!this.active) throw new Error('stopping');
    await this.record(delivery, {
      type: 'DeadLetterWebhookDelivery',
      data: {
        webhookId: delivery.webhook.webhookId,
        eventId: event.eventId,
        eventType: event.type,
        position: formatPosition(event.position),
        attempts: maxAttempts,
        lastError,
      },
    });
    this.options.metrics?.webhookDeliveries.inc({ outcome: 'dead_lettered' });
    this.options.logger?.warn('Webhook delivery dead-lettered', {
      webhookId: delivery.webhook.webhookId,
      eventId: event.eventId,
      attempts: maxAttempts,
      lastError,
    });
  }

  /**
   * One POST, to an address the destination rule accepts now; undefined when the receiver answered
   * 2xx, else what failed. The failure is the product's own words (a refused address, a network
   * error's code, the HTTP status), never the receiver's body: dead letters are shown to callers.
   */
  private async attempt(url: string, body: string, headers: OutgoingHttpHeaders): Promise<string | undefined> {
    const target = new URL(url);
    const destination = await this.options.destinations.check(target);
    if (!destination.allowed) return destination.reason === 'not_allowed' ? 'destination address not allowed' : destination.message;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const status = await post(target, destination.addresses, headers, body, signal);
      return status >= 200 && status < 300 ? undefined : `HTTP ${status}`;
    } catch (error) {
      return signal.aborted ? `no answer within ${timeoutMs} ms` : connectionFailure(error);
    }
  }

  private async checkpoint(delivery: Delivery, force: boolean): Promise<void> {
    if (comparePositions(delivery.delivered, delivery.checkpointed) <= 0) return;
    if (!force && Date.now() - delivery.lastCheckpoint < (this.options.checkpointEveryMs ?? 1_000)) return;
    delivery.lastCheckpoint = Date.now();
    delivery.checkpointed = delivery.delivered;
    await this.record(delivery, { type: 'CheckpointWebhook', data: { webhookId: delivery.webhook.webhookId, position: formatPosition(delivery.delivered) } });
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /** Appends what the domain decides for the dispatcher's progress on a webhook (registered, since it is delivered to). */
  private async record(delivery: Delivery, command: Omit<CheckpointWebhook, 'metadata'> | Omit<DeadLetterWebhookDelivery, 'metadata'>): Promise<void> {
    const now = this.now();
    const registered = evolveWebhook(initialWebhookState, { type: 'WebhookRegistered', data: delivery.webhook });
    const events = decideDelivery({ ...command, metadata: { actor: system, now } } as CheckpointWebhook | DeadLetterWebhookDelivery, registered);
    await this.options.store.append(
      webhookStreamId(delivery.webhook.webhookId),
      events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { occurredAt: now, actor: system, correlationId: randomUUID(), schemaVersion: 1 },
      })),
      'stream_exists',
    );
  }

  /** Stops delivering after the event in hand, checkpointing what was delivered. */
  private async deactivate(): Promise<void> {
    this.active = false;
    await this.registrations?.stop();
    await Promise.all([...this.deliveries.values()].map((d) => d.subscription?.stop()));
    await Promise.all([...this.deliveries.values()].map((d) => this.checkpoint(d, true).catch(() => undefined)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.leaseTurn;
    const wasActive = this.active;
    await this.deactivate();
    if (wasActive) await this.options.lease?.release().catch(() => undefined);
  }
}

/**
 * POSTs `body` to `url`, connecting only to `addresses` (already checked): a fresh connection each
 * time (no pooled socket from an earlier answer), no redirects followed. Resolves with the status.
 */
function post(url: URL, addresses: readonly ResolvedAddress[], headers: OutgoingHttpHeaders, body: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false, lookup: pinnedLookup(addresses), signal },
      (response) => {
        // Only the status matters: the body is drained and dropped, never read into an error.
        response.on('error', () => undefined);
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A failed connection or exchange, in a few fixed words (no address, no remote text). */
function connectionFailure(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'destination unreachable';
  if (code.startsWith('HPE_')) return 'invalid HTTP response';
  if (/CERT|SELF_SIGNED|ERR_TLS|EPROTO|SSL/.test(code)) return `TLS handshake failed (${code})`;
  return code ? `request failed (${code})` : 'request failed';
}
