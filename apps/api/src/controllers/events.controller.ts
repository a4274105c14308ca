import { Controller, Get, Headers, Inject, Optional, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EVENT_STORE, JsonLogger } from '@csp/application';
import { publishedEvent, PUBLISHED_STREAMS } from '@csp/projections';
import { parsePosition, START, type EventStore, type RecordedEvent } from '@csp/event-store';
import { EventStreamQueryDto } from '../dto/query.dto';
import { Authorize, badRequest, NoStoreRefusal } from '@csp/http';
import { Metrics } from '@csp/observability';

const HEARTBEAT_MS = 15_000;

/** What the stream's frames are (the writes in `stream` below), for the document. */
const FRAMES =
  'A text/event-stream (https://html.spec.whatwg.org/multipage/server-sent-events.html). It opens with `retry: 2000`; then one frame per published event: ' +
  '`id: <position>` (what `Last-Event-ID` and `after` take), `event: <type>`, `data: <the event as one line of JSON>`, and a blank line. ' +
  'The JSON is the published envelope (`eventId`, `type`, `streamId`, `revision`, `position`, `data`, `metadata`: docs/schemas/published/PublishedEvent.json), ' +
  'its `data` the payload of docs/schemas/published/<type>.v<metadata.schemaVersion>.json, without what SSE and webhooks withhold. ' +
  `A comment line, \`: keep-alive\`, every ${HEARTBEAT_MS / 1000} seconds. Every event type and field: docs/events.md.`;
/** One published event: the CustomerRegistered example of docs/events.md, in the published envelope. */
const EXAMPLE_EVENT = {
  eventId: '09c57446-925c-4d8b-881b-5a2a1f92d6d2',
  type: 'CustomerRegistered',
  streamId: 'customers-8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13',
  revision: '0',
  position: '1',
  data: {
    customerId: '0f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1',
    tenantId: 'c4d2a9e7-61b5-4f03-8e2d-7a9c3b5f1d20',
    partnerTenantId: '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13',
    name: 'Contoso Ltd',
    domain: 'contoso.example',
    market: 'FR',
    registeredAt: '2026-03-02T09:30:00.000Z',
  },
  metadata: {
    occurredAt: '2026-03-02T09:30:00.000Z',
    actor: { sub: 'a.martin@partner.example', tid: '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13', roles: ['admin-agent'] },
    tenantId: 'c4d2a9e7-61b5-4f03-8e2d-7a9c3b5f1d20',
    partnerTenantId: '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13',
    correlationId: '7ab2d10d-b1d9-468a-86c9-cfb0befd8180',
    causationId: 'c1185fd3-9a30-4b0e-8126-47404e3fbf53',
    schemaVersion: 1,
  },
};
/** A stream as a client reads it: the retry line, one frame, a heartbeat. */
const EXAMPLE_STREAM = `retry: 2000\n\nid: 1\nevent: CustomerRegistered\ndata: ${JSON.stringify(EXAMPLE_EVENT)}\n\n: keep-alive\n\n`;

function concerns(event: RecordedEvent, customerId: string | undefined): boolean {
  if (customerId === undefined) return true;
  const data = event.data as { customerId?: string };
  return data.customerId === customerId;
}

/**
 * Server-Sent Events for back-office services on the embedded default (KurrentDB installs also
 * offer persistent subscriptions): every event from a position on, in order, filtered by type and
 * customer; a client that reconnects with Last-Event-ID resumes right after the last event it saw.
 *
 * The one read that does not go through the QueryBus, on purpose: a query answers once, and this
 * is a subscription that streams for as long as the client stays, paced by the socket (it waits
 * for the socket to drain before taking the next batch from the store). Its parameters are
 * validated like every other query's. It opens whether or not the store answers, and follows it
 * once it is back: it never refuses with 503.
 */
@NoStoreRefusal()
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly logger: JsonLogger,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  @Get()
  @Authorize('events.subscribe')
  @ApiOperation({ summary: 'Subscribe to the published events as Server-Sent Events' })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Sent by a reconnecting EventSource: the stream resumes right after that event (takes precedence over `after`)',
  })
  @ApiOkResponse({
    description: 'Server-Sent Events: the published events from the position asked for on, in order, for as long as the client stays',
    content: { 'text/event-stream': { schema: { type: 'string', description: FRAMES, example: EXAMPLE_STREAM } } },
  })
  stream(
    @Query() query: EventStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const { customerId, after } = query;
    const eventTypes = query.eventTypes();
    const resumeFrom = lastEventId ?? after;
    const from = resumeFrom === undefined ? START : parsePosition(resumeFrom);
    if (!from) throw badRequest(lastEventId !== undefined ? 'Last-Event-ID' : 'after', 'must be an event position from this stream');

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');
    this.metrics?.sseClients.inc();

    let closed = false;
    // Back-pressure: wait for the socket to drain before taking the next batch from the store.
    const write = (chunk: string) => (response.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => response.once('drain', () => resolve())));
    const subscription = this.store.subscribe(
      async (events) => {
        for (const event of events) {
          if (closed) return;
          if (!concerns(event, customerId)) continue;
          const body = publishedEvent(event);
          await write(`id: ${body.position}\nevent: ${event.type}\ndata: ${JSON.stringify(body)}\n\n`);
        }
      },
      { after: from, filter: { streamPrefixes: PUBLISHED_STREAMS, ...(eventTypes ? { eventTypes } : {}) }, batchSize: 200 },
    );
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const end = () => {
      if (closed) return;
      closed = true;
      this.metrics?.sseClients.dec();
      clearInterval(heartbeat);
      void subscription.stop();
    };
    request.on('close', end);
    subscription.closed.catch((error: unknown) => {
      this.logger.warn('Event stream subscription failed', { error: (error as Error).message });
      response.end();
      end();
    });
  }
}
