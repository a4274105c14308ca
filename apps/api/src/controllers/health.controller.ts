import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EVENT_STORE } from '@csp/application';
import { formatPosition, type EventStore } from '@csp/event-store';
import { Public } from '../http/auth';

/** Liveness says the process answers; readiness says it can serve: the event store answers. */
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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
      return { status: 'ready', eventStore: { head: formatPosition(head) } };
    } catch (error) {
      response.status(503);
      return { status: 'unavailable', eventStore: { error: (error as Error).message } };
    }
  }
}
