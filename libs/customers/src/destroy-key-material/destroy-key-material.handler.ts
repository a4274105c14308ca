import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { answerById, assertAllowed, CLOCK, EVENT_STORE, eventMetadata, READ_SIDE, ReadConsistency, type CommandContext } from '@csp/application';
import type { Clock } from '@csp/config';
import { customerRegistryStreamId } from '@csp/domain';
import { formatPosition, type EventStore } from '@csp/event-store';
import type { Answer } from '@csp/http';
import type { ReadSide } from '@csp/projections';
import { TenantKeyring } from '@csp/security';
import { CustomersQueries } from '../customers.queries';
import { decideKeyMaterialDestruction } from './destroy-key-material.decide';
import type { KeyMaterialDestructionResponse } from './destroy-key-material.response';

interface KeyMaterialDestruction {
  readonly customerId: string;
  readonly tenantId: string;
  readonly destroyedAt: string;
  readonly position: string;
}

export class DestroyKeyMaterialCommand extends Command<Answer<KeyMaterialDestruction, KeyMaterialDestructionResponse>> {
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
  private readonly customers: CustomersQueries;

  constructor(
    @Inject(READ_SIDE) readSide: ReadSide,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keyring: TenantKeyring,
    private readonly consistency: ReadConsistency,
  ) {
    this.customers = new CustomersQueries(readSide.store);
  }

  async execute({ context, customerId, reason }: DestroyKeyMaterialCommand): Promise<KeyMaterialDestruction> {
    // Whose customer it is, the customers read model says: asked once it has applied what was
    // committed when the command came (a registration just made included), as a query by id is, so
    // that a model still behind answers 503 read_model_behind rather than a 404 it cannot know.
    const freshness = await this.consistency.ensure(undefined);
    const { tenantId, partnerTenantId } = await answerById(freshness, async () => {
      const customer = await this.customers.customer(customerId);
      assertAllowed(
        'customer.destroyKeyMaterial',
        context.actor,
        customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId },
        'customer',
      );
      return customer!;
    });
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
