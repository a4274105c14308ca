import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { cancellationEligibility, orderStreamId, type CancellationEligibility } from '@csp/domain';
import type { Clock } from '@csp/config';
import { assertAllowed, type CommandContext } from '../context';
import { StreamRepository } from '../stream-repository';
import { CLOCK } from '../tokens';
import type { Download, OrderView } from './order-commands';
import { orderResource, orderStream, orderView } from './order-stream';

export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
  ) {
    super();
  }
}

export class GetCancellationEligibilityQuery extends Query<CancellationEligibility & { readonly orderId: string }> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
  ) {
    super();
  }
}

/** A HEAD on a download link: what a download would answer, counting nothing (handled beside RecordDownload). */
export class CheckDownloadLinkQuery extends Query<Download> {
  constructor(readonly token: string) {
    super();
  }
}

/** Reads the order's own stream: always current, so the answer never lags a command just made. */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly repository: StreamRepository) {}

  async execute({ context, orderId }: GetOrderQuery) {
    const { state } = await this.repository.load(orderStreamId(orderId), orderStream);
    assertAllowed('order.read', context.actor, orderResource(state), 'order');
    return orderView(state);
  }
}

@QueryHandler(GetCancellationEligibilityQuery)
export class GetCancellationEligibilityHandler implements IQueryHandler<GetCancellationEligibilityQuery> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, orderId }: GetCancellationEligibilityQuery) {
    const { state } = await this.repository.load(orderStreamId(orderId), orderStream);
    assertAllowed('order.cancellationEligibility', context.actor, orderResource(state), 'order');
    return { orderId, ...cancellationEligibility(state.domain, this.clock.now().toISOString()) };
  }
}
