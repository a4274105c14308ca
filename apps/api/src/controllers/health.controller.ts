import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, READ_SIDE } from '@csp/application';
import { formatPosition, type EventStore } from '@csp/event-store';
import type { ReadSide } from '@csp/projections';
import { Public, type Documented } from '@csp/http';
import { Liveness, Readiness, Unavailability } from './health.response';

/** What the readiness probe answers: the report, or what failed when a store could not be asked. */
type ReadinessAnswer =
  { status: 'ready' | 'degraded'; eventStore: { head: string }; readModels: Awaited<ReturnType<ReadSide['lag']>> } | { status: 'unavailable'; error: string };

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
  @ApiOperation({ summary: 'Check that the process answers (liveness probe)' })
  @ApiOkResponse({ type: Liveness, description: 'The process answers' })
  live(): Documented<{ status: 'ok' }, Liveness> {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  // 503 answers with the probe's own body, not the error body: a monitor reads what is wrong from it.
  @ApiOperation({ summary: 'Check that the event store answers and every read model runs (readiness probe)' })
  @ApiExtraModels(Readiness, Unavailability)
  @ApiOkResponse({ type: Readiness, description: 'Ready: the event store answers and every read model runs' })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: `degraded` when a read model has failed or is stalled (the report says which), `unavailable` when a store could not be asked',
    schema: { oneOf: [{ $ref: getSchemaPath(Readiness) }, { $ref: getSchemaPath(Unavailability) }] },
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Documented<ReadinessAnswer, Readiness | Unavailability>> {
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
