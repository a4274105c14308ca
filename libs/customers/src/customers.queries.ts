import type { ReadModelStore } from '@csp/projections';
import { customerKey, customersProjection, type CustomerView } from './customers.projection';

/** The customers read model's answers. Each reads the generation currently pointed at, so a rebuild switching generations never shows a half-built model. */
export class CustomersQueries {
  constructor(private readonly store: ReadModelStore) {}

  async customer(customerId: string): Promise<CustomerView | undefined> {
    const model = customersProjection.name;
    const ns = { model, generation: await this.store.currentGeneration(model) };
    return (await this.store.get(ns, customerKey(customerId))) as CustomerView | undefined;
  }
}
