import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, eventMetadata, idnaDomain, REFERENCE_DATA, StreamRepository, type CommandContext, type ReferenceData } from '@csp/application';
import type { Clock } from '@csp/config';
import { customerRegistryStreamId } from '@csp/domain';
import { formatPosition } from '@csp/event-store';
import type { Answer } from '@csp/http';
import { customerRegistryStream, findCustomer, type Customer } from '../customer.events';
import { decideCustomerRegistry } from './register-customer.decide';
import type { RegisteredCustomerResponse } from './register-customer.response';

/** A registered customer, and the position its registration was committed at. */
type RegisteredCustomer = Customer & { readonly position: string | undefined };

export class RegisterCustomerCommand extends Command<Answer<RegisteredCustomer, RegisteredCustomerResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly customer: { name: string; domain: string; market: string; tenantId?: string },
  ) {
    super();
  }
}

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly reference: ReferenceData,
  ) {}

  async execute({ context, customer }: RegisterCustomerCommand): Promise<RegisteredCustomer> {
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
            data: { customerId, tenantId, partnerTenantId, name: customer.name, domain: idnaDomain(customer.domain), market: customer.market },
            metadata: { actor: context.actor, now: now.toISOString() },
          },
          state,
          this.reference,
        ),
      { metadata: (event) => eventMetadata(context, now, { tenantId, partnerTenantId }, event.type) },
    );
    const registered = findCustomer(result.state, customerId)!;
    return { ...registered, position: result.append && formatPosition(result.append.position) };
  }
}
