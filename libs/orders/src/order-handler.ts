import { Inject } from '@nestjs/common';
import { CLOCK, eventMetadata, REFERENCE_DATA, StreamRepository, type CommandContext, type Loaded, type ReferenceData } from '@csp/application';
import type { Clock } from '@csp/config';
import { orderStreamId } from '@csp/domain';
import { formatPosition, type AppendResult } from '@csp/event-store';
import { decideOrder, type OrderCommand, type OrderEvent } from '.';
import { orderStream, type OrderStreamState } from './order-stream.state';

export const position = (append: AppendResult | undefined) => (append ? formatPosition(append.position) : undefined);

/**
 * Shared by the order handlers: decide a command on an order stream the caller may act on. A
 * handler that needs more than these injects it by property (`@Inject(...)` on the field), as Nest
 * recommends for subclasses, so that it does not repeat this constructor to pass them up.
 */
export abstract class OrderHandler {
  constructor(
    protected readonly repository: StreamRepository,
    @Inject(CLOCK) protected readonly clock: Clock,
    @Inject(REFERENCE_DATA) protected readonly reference: ReferenceData,
  ) {}

  protected async decide(
    orderId: string,
    context: CommandContext,
    authorise: ((state: OrderStreamState) => void) | undefined,
    command: (now: string) => OrderCommand,
    assume?: Loaded<OrderStreamState>,
  ) {
    const now = this.clock.now();
    return this.repository.execute(
      orderStreamId(orderId),
      orderStream,
      (state) => {
        authorise?.(state);
        return decideOrder(command(now.toISOString()), state.domain, this.reference);
      },
      {
        metadata: (event: OrderEvent) => {
          const ref = 'partnerTenantId' in event.data ? event.data : undefined;
          return eventMetadata(context, now, { tenantId: ref?.customerTenantId, partnerTenantId: ref?.partnerTenantId }, event.type);
        },
        ...(assume && { assume }),
      },
    );
  }
}
