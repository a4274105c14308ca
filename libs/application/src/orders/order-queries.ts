import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { cancellationEligibility, orderStreamId } from '@csp/domain';
import type { Clock } from '@csp/config';
import { assertAllowed, type CommandContext } from '../context';
import { StreamRepository } from '../stream-repository';
import { CLOCK } from '../tokens';
import { orderResource, orderStream, orderView } from './order-stream';

export class GetOrderQuery {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
  ) {}
}

export class GetCancellationEligibilityQuery {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
  ) {}
}

/** A HEAD on a download link: what a download would answer, counting nothing (handled beside RecordDownload). */
export class CheckDownloadLinkQuery {
  constructor(readonly token: string) {}
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
