import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, type CommandContext } from '@csp/application';
import type { Answer } from '@csp/http';
import type { OrderStatus } from '..';
import { orderResource, orderStatusOf } from '../order-stream.state';
import { OrderHandler, position } from '../order-handler';
import type { OrderCancellationResponse } from './cancel-order.response';

interface OrderCancellation {
  readonly orderId: string;
  /** After a cancellation: never `active` (orderStatus, the one rule). */
  readonly status: Exclude<OrderStatus, 'active'>;
  readonly cancelledAt: string;
  readonly credits: { line: number; amount: number; currency: string; invoiceMonth: string }[];
  readonly revokedKeys: number;
  readonly revokedLinks: number;
  readonly position: string | undefined;
}

export class CancelOrderCommand extends Command<Answer<OrderCancellation, OrderCancellationResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly reason: string,
    readonly lines?: readonly number[],
  ) {
    super();
  }
}

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler extends OrderHandler implements ICommandHandler<CancelOrderCommand> {
  async execute({ context, orderId, reason, lines }: CancelOrderCommand): Promise<OrderCancellation> {
    const result = await this.decide(
      orderId,
      context,
      (state) => assertAllowed('order.cancel', context.actor, orderResource(state), 'order'),
      (now) => ({
        type: 'CancelOrder',
        data: { orderId, reason, ...(lines !== undefined ? { lines: [...lines] } : {}) },
        metadata: { actor: context.actor, now },
      }),
    );
    const cancelled = result.events.find((e) => e.type === 'OrderCancelled');
    if (!cancelled || cancelled.type !== 'OrderCancelled') throw new Error('The decider cancelled nothing');
    const { data } = cancelled;
    return {
      orderId,
      status: orderStatusOf(result.state) as OrderCancellation['status'],
      cancelledAt: data.cancelledAt,
      credits: data.lines.map((line) => ({ line: line.line, amount: line.credit.amount, currency: line.credit.currency, invoiceMonth: data.invoiceMonth })),
      revokedKeys: result.events
        .filter((e) => e.type === 'ProductKeysRevoked')
        .flatMap((e) => ('keys' in e.data ? e.data.keys.length : 0))
        .reduce((a, b) => a + b, 0),
      revokedLinks: result.events
        .filter((e) => e.type === 'DownloadLinksRevoked')
        .flatMap((e) => ('links' in e.data ? e.data.links.length : 0))
        .reduce((a, b) => a + b, 0),
      position: position(result.append),
    };
  }
}
