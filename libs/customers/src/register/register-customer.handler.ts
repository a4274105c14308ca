import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerRegistryStreamId, decideCustomerRegistry, decideKeyMaterialDestruction, findCustomer, type Customer } from '@csp/domain';
import { formatPosition, type EventStore } from '@csp/event-store';
import type { ReadSide } from '@csp/projections';
import { TenantKeyring } from '@csp/security';
import type { Clock } from '@csp/config';
import { assertAllowed, eventMetadata, type CommandContext } from '../context';
import { StreamRepository } from '../stream-repository';
import type { ReferenceData } from '../reference-data';
import { CLOCK, EVENT_STORE, READ_SIDE, REFERENCE_DATA } from '../tokens';
import { customerRegistryStream } from './customer-registry-stream';
import { idnaDomain } from '../domain-names';

/** A registered customer, and the position its registration was committed at. */
export type RegisteredCustomer = Customer & { readonly position: string | undefined };

export class RegisterCustomerCommand extends Command<RegisteredCustomer> {
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

export interface KeyMaterialDestruction {
  readonly customerId: string;
  readonly tenantId: string;
  readonly destroyedAt: string;
  readonly position: string;
}

export class DestroyKeyMaterialCommand extends Command<KeyMaterialDestruction> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
    readonly reason: string,
  ) {
    super();
  }
}

/**
 * Crypto-shredding: destroys the customer tenant's data key, so no product key of the tenant can
 * be revealed again anywhere, and records who did it and why in the partner's registry stream.
 */
@CommandHandler(DestroyKeyMaterialCommand)
export class DestroyKeyMaterialHandler implements ICommandHandler<DestroyKeyMaterialCommand> {
  constructor(
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keyring: TenantKeyring,
  ) {}

  async execute({ context, customerId, reason }: DestroyKeyMaterialCommand) {
    const customer = await this.readSide.readModels.customer(customerId);
    assertAllowed(
      'customer.destroyKeyMaterial',
      context.actor,
      customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId },
      'customer',
    );
    const { tenantId, partnerTenantId } = customer!;
    const now = this.clock.now();
    await this.keyring.destroy(tenantId);
    const events = decideKeyMaterialDestruction({
      type: 'DestroyKeyMaterial',
      data: { customerId, tenantId, partnerTenantId, reason },
      metadata: { actor: context.actor, now: now.toISOString() },
    });
    const append = await this.store.append(
      customerRegistryStreamId(partnerTenantId),
      events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: eventMetadata(context, now, { tenantId, partnerTenantId }, event.type),
      })),
      'any',
    );
    return { customerId, tenantId, destroyedAt: events[0]!.data.destroyedAt, position: formatPosition(append.position) };
  }
}
