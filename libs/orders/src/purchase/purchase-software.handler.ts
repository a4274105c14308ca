import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, EVENT_STORE, requestHash, uuidV5, type CommandContext } from '@csp/application';
import { customerRegistryStream, findCustomer } from '@csp/customers';
import { customerRegistryStreamId, orderStreamId } from '@csp/domain';
import { formatPosition, type EventStore } from '@csp/event-store';
import type { Answer } from '@csp/http';
import { orderStream, orderView, type OrderView } from '../order-stream.state';
import { OrderHandler, position } from '../order-handler';
import type { PurchaseResponse } from './purchase-software.response';

/** A purchase: the order (the first one again for a retry with the same idempotency key), and whether this call created it. */
export interface Purchase {
  readonly created: boolean;
  readonly order: Answer<OrderView & { readonly position: string | undefined }, PurchaseResponse>;
}

export class PurchaseSoftwareCommand extends Command<Purchase> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
    readonly lines: readonly { sku: string; quantity: number }[],
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}

@CommandHandler(PurchaseSoftwareCommand)
export class PurchaseSoftwareHandler extends OrderHandler implements ICommandHandler<PurchaseSoftwareCommand> {
  @Inject(EVENT_STORE) private readonly store!: EventStore;

  async execute({ context, customerId, lines, idempotencyKey }: PurchaseSoftwareCommand): Promise<Purchase> {
    const { actor } = context;
    // A partner's customers live in its own registry: another partner's customer is simply not there (404).
    const registry = await this.repository.load(customerRegistryStreamId(actor.tid), customerRegistryStream);
    const customer = findCustomer(registry.state, customerId);
    assertAllowed('order.purchase', actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    const requestLines = lines.map(({ sku, quantity }) => ({ sku, quantity }));
    // The order id is derived from (partner, idempotency key): a retry meets the existing stream.
    const orderId = idempotencyKey !== undefined ? uuidV5(`${actor.tid}:${idempotencyKey}`) : randomUUID();
    const hash = idempotencyKey !== undefined ? requestHash({ customerId, lines: requestLines }) : undefined;
    // Without a key the id is new: nothing to read (a retry with a key must find its order).
    const fresh = idempotencyKey === undefined ? { state: orderStream.initialState, revision: 'no_stream' as const } : undefined;
    const result = await this.decide(
      orderId,
      context,
      undefined,
      (now) => ({
        type: 'PurchaseSoftware',
        data: {
          orderId,
          customer: { customerId: customer!.customerId, tenantId: customer!.tenantId, partnerTenantId: customer!.partnerTenantId, market: customer!.market },
          lines: requestLines,
          ...(idempotencyKey !== undefined ? { idempotencyKey, requestHash: hash } : {}),
        },
        metadata: { actor, now },
      }),
      fresh,
    );
    let at = position(result.append);
    if (at === undefined) {
      const [first] = await this.store.readStream(orderStreamId(orderId), { maxCount: 1 });
      at = first && formatPosition(first.position);
    }
    return { created: result.events.length > 0, order: { ...orderView(result.state), position: at } };
  }
}
