import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, READ_SIDE } from '@csp/application';
import { comparePositions, formatPosition, type EventStore, type Position } from '@csp/event-store';
import { checkpointPosition, type ReadSide } from '@csp/projections';
import { NoStoreRefusal, Public, type Documented } from '@csp/http';
import { Liveness, Readiness, Unavailability } from './health.response';

/** What the readiness probe answers: the report, or what failed when a store could not be asked. */
type ReadinessAnswer =
  | { status: 'ready' | 'starting' | 'degraded'; eventStore: { head: string }; readModels: Awaited<ReturnType<ReadSide['lag']>> }
  | { status: 'unavailable'; error: string };

/**
 * Liveness says the process answers, from the moment it listens. Readiness says it can serve: the
 * event store answers, the read models this process projects have caught up with the history the
 * store held when it started (until then it is `starting`: commands are taken and queries answer
 * by the read-your-writes rules, but a load balancer should wait), no read model has stopped on a
 * poison event and none is stalled (behind the log with no live process advancing it); it also
 * reports each read model's checkpoint and lag.
 *
 * The probes talk to the ports themselves rather than through the QueryBus, on purpose: they are
 * not product reads (no caller, no authorisation, no read-your-writes) but checks of the adapters
 * the queries depend on, and must answer — 503, with the readiness body rather than the error body —
 * precisely when those adapters fail.
 */
@NoStoreRefusal()
@Controller('health')
export class HealthController {
  /** The store's head when this process started serving: what its read models must reach before it is ready. */
  private readonly headAtStart: Promise<Position | undefined>;
  private caughtUp = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
  ) {
    this.headAtStart = store.headPosition().catch(() => undefined);
  }

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
    description:
      'Not ready: `starting` while the read models catch up with the history found at start, `degraded` when a read model has failed or is stalled (the report says which), `unavailable` when a store could not be asked',
    schema: { oneOf: [{ $ref: getSchemaPath(Readiness) }, { $ref: getSchemaPath(Unavailability) }] },
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<Documented<ReadinessAnswer, Readiness | Unavailability>> {
    try {
      const head = await this.store.headPosition();
      const readModels = await this.readSide.lag();
      const degraded = readModels.some((m) => m.state === 'failed' || m.state === 'stalled');
      if (!this.caughtUp) {
        const target = (await this.headAtStart) ?? head;
        // Once caught up, a process stays ready: lag after that is reported, and alerted on, not a reason to be taken out.
        // A model with nothing left to apply is caught up although events it does not follow (webhook checkpoints) end the log.
        this.caughtUp = readModels.every((m) => m.state !== 'running' || m.caughtUp || comparePositions(checkpointPosition(m.checkpoint), target) >= 0);
      }
      const status = degraded ? 'degraded' : this.caughtUp ? 'ready' : 'starting';
      if (status !== 'ready') response.status(503);
      return { status, eventStore: { head: formatPosition(head) }, readModels };
    } catch (error) {
      response.status(503);
      return { status: 'unavailable', error: (error as Error).message };
    }
  }
}
