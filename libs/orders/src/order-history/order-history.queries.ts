import { checkedPage, indexPage, isIndexEntry, isSortableTime, isStoredId, type PageRequest } from '@csp/domain';
import type { ReadModelStore } from '@csp/projections';
import { orderHistoryIndex, type OrderHistoryView } from './order-history.projection';

/** A position in an order history: an order's entry in the customer's index, `<purchase ms>|<orderId>`. */
export const isOrderHistoryPosition = (position: string): boolean => isIndexEntry(position, isSortableTime, isStoredId);

export interface OrderHistoryPage {
  readonly orders: OrderHistoryView[];
  /** The last order of the page, when more follow. */
  readonly nextCursor?: string;
}

/** A customer's order history from its read model. */
export class OrderHistoryQueries {
  constructor(private readonly store: ReadModelStore) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /** A page of the customer's orders, oldest purchase first (then by order id), each with its status, totals and events. */
  async orderHistory(customerId: string, page: PageRequest = {}): Promise<OrderHistoryPage> {
    const ns = await this.ns('order-history');
    const { entries, nextCursor } = await indexPage(this.store, ns, orderHistoryIndex(customerId), checkedPage(page, isOrderHistoryPosition));
    const docs = await this.store.getMany(
      ns,
      entries.map((e) => `order:${e.slice(e.indexOf('|') + 1)}`),
    );
    return { orders: docs.filter((d): d is OrderHistoryView => d !== undefined), ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }
}
