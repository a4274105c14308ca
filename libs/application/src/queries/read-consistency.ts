import { Inject, Injectable } from '@nestjs/common';
import { formatPosition, type EventStore, type Position } from '@csp/event-store';
import type { ReadSide } from '@csp/projections';
import { EVENT_STORE, READ_SIDE } from '../tokens';

import type { Freshness } from './freshness';

export type { Freshness } from './freshness';

/**
 * Read-your-writes for read-model queries: a query waits, within a bound, until the read models
 * have applied the position the caller names (`atLeast`), or by default everything committed when
 * the query arrived — so a client never reads a state older than its own last command.
 */
@Injectable()
export class ReadConsistency {
  constructor(
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async ensure(atLeast: Position | undefined, timeoutMs = 3_000): Promise<Freshness> {
    const target = atLeast ?? (await this.store.headPosition());
    const reached = await this.readSide.waitFor(target, timeoutMs);
    return { position: formatPosition(target), reached };
  }
}
