import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ByIdQuery, assertAllowed, CLOCK, StreamRepository } from '@csp/application';
import type { Clock } from '@csp/config';
import { orderStreamId } from '@csp/domain';
import type { Answer } from '@csp/http';
import { cancellationEligibility, type CancellationEligibility } from '..';
import { orderResource, orderStream } from '../order-stream.state';
import type { CancellationEligibilityResponse } from './cancellation-eligibility.response';

export class GetCancellationEligibilityQuery extends ByIdQuery<
  Answer<CancellationEligibility & { readonly orderId: string }, CancellationEligibilityResponse>
> {}

@QueryHandler(GetCancellationEligibilityQuery)
export class GetCancellationEligibilityHandler implements IQueryHandler<GetCancellationEligibilityQuery> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, id: orderId }: GetCancellationEligibilityQuery) {
    const { state } = await this.repository.load(orderStreamId(orderId), orderStream);
    assertAllowed('order.cancellationEligibility', context.actor, orderResource(state), 'order');
    return { orderId, ...cancellationEligibility(state.domain, this.clock.now().toISOString()) };
  }
}
