import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CountProperty } from '@csp/http';

/** GET /health/live: the process answers. */
export class Liveness {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';
}

/** Where the event store's log ends. */
export class EventStoreHead {
  @ApiProperty({ description: 'Position of the last event in the store', example: '57' })
  head!: string;
}

/** One read model as this process sees it: its state, its checkpoint, and how far behind the log it is. */
export class ReadModelStatus {
  @ApiProperty({ example: 'software-list' })
  model!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The generation queries read (a rebuild makes the next)', example: 1 })
  generation!: number;

  @ApiProperty({
    enum: ['idle', 'standby', 'running', 'retrying', 'failed', 'stopped', 'stalled'],
    description:
      'standby: another projector holds the lease; retrying: a store failed, retrying from the checkpoint; failed: stopped on a poison event; ' +
      'stalled: behind the log with no live process advancing it',
    example: 'running',
  })
  state!: 'idle' | 'standby' | 'running' | 'retrying' | 'failed' | 'stopped' | 'stalled';

  @ApiPropertyOptional({ description: 'Position of the last event applied; absent before the first', example: '57' })
  checkpoint?: string;

  @ApiPropertyOptional({ description: 'Why it failed or is retrying' })
  error?: string;

  @ApiProperty({ description: 'Position of the last event in the store, whatever its stream', example: '57' })
  head!: string;

  @CountProperty.optional('Events it still has to apply, when few enough to count', 0)
  lagEvents?: number;

  @ApiProperty({ example: true })
  caughtUp!: boolean;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    description: 'For a read model another process projects: the owner of its lease, null when nobody holds it',
  })
  leaseHolder?: string | null;

  @CountProperty.optional('Stalled only: how long it has been behind with its checkpoint still', 42)
  stalledForSeconds?: number;
}

/**
 * GET /health/ready once the stores answered: ready (200); starting (503) while the read models this
 * process projects catch up with the history the store held when it started; degraded (503) when a
 * read model failed or stalled.
 */
export class Readiness {
  @ApiProperty({
    enum: ['ready', 'starting', 'degraded'],
    description: 'starting: catching up with the history found at start (503); degraded: a read model has failed or is stalled (503)',
    example: 'ready',
  })
  status!: 'ready' | 'starting' | 'degraded';

  @ApiProperty({ type: EventStoreHead })
  eventStore!: EventStoreHead;

  @ApiProperty({ type: [ReadModelStatus] })
  readModels!: ReadModelStatus[];
}

/** GET /health/ready when a store could not be asked (503). */
export class Unavailability {
  @ApiProperty({ enum: ['unavailable'], example: 'unavailable' })
  status!: 'unavailable';

  @ApiProperty({ description: 'What failed', example: 'connect ECONNREFUSED 127.0.0.1:6379' })
  error!: string;
}
