import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerRegistryStreamId, decideCustomerRegistry, findCustomer } from '@csp/domain';
import { formatPosition } from '@csp/event-store';
import type { Clock } from '@csp/config';
import { eventMetadata, type CommandContext } from '../context';
import { StreamRepository } from '../stream-repository';
import { CLOCK } from '../tokens';
import { customerRegistryStream } from './customer-registry-stream';

export class RegisterCustomerCommand {
  constructor(
    readonly context: CommandContext,
    readonly customer: { name: string; domain: string; market: string; tenantId?: string },
  ) {}
}

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, customer }: RegisterCustomerCommand) {
    const partnerTenantId = context.actor.tid;
    const customerId = randomUUID();
    const tenantId = (customer.tenantId ?? randomUUID()).toLowerCase();
    const now = this.clock.now();
    const result = await this.repository.execute(
      customerRegistryStreamId(partnerTenantId),
      customerRegistryStream,
      (state) =>
        decideCustomerRegistry(
          {
            type: 'RegisterCustomer',
            data: { customerId, tenantId, partnerTenantId, name: customer.name, domain: customer.domain, market: customer.market },
            metadata: { actor: context.actor, now: now.toISOString() },
          },
          state,
        ),
      { metadata: (event) => eventMetadata(context, now, { tenantId, partnerTenantId }, event.type) },
    );
    const registered = findCustomer(result.state, customerId)!;
    return { ...registered, position: result.append && formatPosition(result.append.position) };
  }
}
