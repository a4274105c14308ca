import { randomUUID } from 'node:crypto';
import { orderStreamId } from '@csp/domain';
import type { EventStore } from '@csp/event-store';
import { client, mintToken } from './server';

/** A refused purchase, as its answer said it. */
interface Refusal {
  readonly status: number;
  readonly code?: string;
}

export interface PurchaseBurst {
  readonly call: ReturnType<typeof client>;
  /** The admin agent of the partner that buys. */
  readonly agent: string;
  readonly customerId: string;
  /** The order ids answered 201, in the order the answers came. */
  readonly acknowledged: string[];
  readonly refusals: Refusal[];
  /** Lets every writer finish the purchase it is sending, and waits for them. */
  stop(): Promise<void>;
}

/**
 * Registers a customer (of a partner of its own, in FR) and has `writers` clients buy one perpetual
 * licence each, again and again, until `stop()`: the load a fault is injected under. A writer
 * refused waits `pauseAfterRefusalMs` before it tries again, so that an outage is not a busy loop.
 */
export async function startPurchaseBurst(
  target: { readonly baseUrl: string; readonly secret: string },
  options: { readonly writers: number; readonly customer: string; readonly pauseAfterRefusalMs?: number },
): Promise<PurchaseBurst> {
  const call = client(target.baseUrl);
  const agent = mintToken(target.secret, { sub: 'agent', tid: randomUUID(), roles: ['admin-agent'] });
  const item = (await call('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual' && !i.unavailableMarkets);
  const { customerId } = (
    await call('POST', '/v1/customers', agent, { name: options.customer, domain: `${options.customer.toLowerCase()}.example`, market: 'FR' })
  ).body;
  const acknowledged: string[] = [];
  const refusals: Refusal[] = [];
  let stopping = false;
  const writer = async () => {
    while (!stopping) {
      const res = await call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] });
      if (res.status === 201) acknowledged.push(res.body.orderId);
      else {
        refusals.push({ status: res.status, code: res.body?.error?.code });
        if (options.pauseAfterRefusalMs) await new Promise((r) => setTimeout(r, options.pauseAfterRefusalMs));
      }
    }
  };
  const writers = Array.from({ length: options.writers }, writer);
  return {
    call,
    agent,
    customerId,
    acknowledged,
    refusals,
    async stop() {
      stopping = true;
      await Promise.all(writers);
    },
  };
}

/** The acknowledged orders whose stream `store` does not hold: purchases the fault lost. */
export async function unrecorded(store: Pick<EventStore, 'readStream'>, orderIds: readonly string[]): Promise<string[]> {
  const lost: string[] = [];
  for (const orderId of orderIds) if ((await store.readStream(orderStreamId(orderId))).length === 0) lost.push(orderId);
  return lost;
}
