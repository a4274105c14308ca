import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EVENT_STORE, JsonLogger } from '@csp/application';
import { publishedEvent, PUBLISHED_STREAMS } from '@csp/projections';
import { parsePosition, START, type EventStore, type RecordedEvent } from '@csp/event-store';
import { EventStreamQueryDto } from '../dto/query.dto';
import { Authorize, badRequest } from '@csp/http';

const HEARTBEAT_MS = 15_000;

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
 * validated like every other query's.
 */
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly logger: JsonLogger,
  ) {}

  @Get()
  @Authorize('events.subscribe')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Sent by a reconnecting EventSource: the stream resumes right after that event (takes precedence over `after`)',
  })
  @ApiOkResponse({
    description:
      'Server-Sent Events: one `id: <position>`, `event: <type>`, `data: <event as JSON>` per published event, in order; a comment line as heartbeat',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
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
