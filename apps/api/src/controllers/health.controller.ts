import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EVENT_STORE, READ_SIDE } from '@csp/application';
import { formatPosition, type EventStore } from '@csp/event-store';
import type { ReadSide } from '@csp/projections';
import { Public } from '@csp/http';

/**
 * Liveness says the process answers. Readiness says it can serve: the event store answers, no
 * read model has stopped on a poison event and none is stalled (behind the log with no live
 * process advancing it); it also reports each read model's checkpoint and lag.
 *
 * The probes talk to the ports themselves rather than through the QueryBus, on purpose: they are
 * not product reads (no caller, no authorisation, no read-your-writes) but checks of the adapters
 * the queries depend on, and must answer — 503 — precisely when those adapters fail.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
  ) {}

  @Get('live')
  @Public()
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) response: Response) {
    try {
      const head = await this.store.headPosition();
      const readModels = await this.readSide.lag();
      const degraded = readModels.some((m) => m.state === 'failed' || m.state === 'stalled');
      if (degraded) response.status(503);
      return { status: degraded ? 'degraded' : 'ready', eventStore: { head: formatPosition(head) }, readModels };
    } catch (error) {
      response.status(503);
      return { status: 'unavailable', error: (error as Error).message };
    }
  }
}
