import type { ReadModelStore } from '../stores/port';

/** The service clock, as the read side needs it: time-dependent answers are computed when asked. */
export interface ReadClock {
  now(): Date;
}

/**
 * A customer as the customers read model keeps it (the data of CustomerRegistered). The model is
 * the customers context's (@csp/customers, which answers its own routes with CustomersQueries);
 * this package cannot import the context, whose projection imports it, so it names the fields the
 * lookup below reads for the other contexts' authorisation.
 */
interface CustomerView {
  readonly customerId: string;
  readonly tenantId: string;
  readonly partnerTenantId: string;
  readonly name: string;
  readonly domain: string;
  readonly market: string;
  readonly registeredAt: string;
}

/**
 * The read side's own query: the customer lookup the other contexts authorise by. Each context's
 * queries are beside its projection. Reads the generation currently pointed at, so a rebuild
 * switching generations never shows a half-built model.
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
