import type { ReadModelStore } from '@csp/projections';
import { orderHistoryIndex, type OrderHistoryView } from './order-history.projection';

/** A customer's order history from its read model. */
export class OrderHistoryQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /** The customer's orders, oldest purchase first, each with its status, totals and events. */
  async orderHistory(customerId: string): Promise<OrderHistoryView[]> {
    const ns = await this.ns('order-history');
    const entries = await this.store.entries(ns, orderHistoryIndex(customerId));
    const docs = await this.store.getMany(
      ns,
      entries.map((e) => `order:${e.slice(e.indexOf('|') + 1)}`),
    );
    return docs.filter((d): d is OrderHistoryView => d !== undefined);
  }
}
