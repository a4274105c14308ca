import type { CustomerView } from '../read-models/customers';
import type { ReadModelStore } from '../stores/port';

/** The service clock, as the read side needs it: time-dependent answers are computed when asked. */
export interface ReadClock {
  now(): Date;
}

/**
 * The queries the API answers from the read models not yet in their context (each context's own
 * queries are beside its projection). Each reads the generation currently pointed at, so a
 * rebuild switching generations never shows a half-built model.
 */
export class ReadModelQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  async customer(customerId: string): Promise<CustomerView | undefined> {
    return (await this.store.get(await this.ns('customers'), `customer:${customerId}`)) as CustomerView | undefined;
  }
}
