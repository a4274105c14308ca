import { Inject } from '@nestjs/common';
import type { ReadModelStore, ReadSide } from '@csp/projections';
import { READ_SIDE } from '../tokens';

/**
 * A query handler answering from the read models: it builds the queries objects it needs over the
 * process's one read-model store (`new CustomersQueries(this.store)` as a field), so none opens its own.
 */
export abstract class ReadModelQueryHandler {
  protected readonly store: ReadModelStore;

  constructor(@Inject(READ_SIDE) readSide: ReadSide) {
    this.store = readSide.store;
  }
}
