import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Clock } from '@csp/config';
import type { ReadModelQueries, ReadSide } from '@csp/projections';
import { scopeOf } from '@csp/security';
import { DomainError, parseId } from '@csp/domain';
import { assertAllowed, type CommandContext } from '../context';
import { CLOCK, READ_SIDE } from '../tokens';

type Answer<M extends keyof ReadModelQueries> = ReadModelQueries[M] extends (...args: never[]) => Promise<infer R> ? R : never;

/** A page of the activity log: entries without the partner (the caller's own), and the cursor of the next page. */
export interface ActivityLog {
  readonly from: string;
  readonly to: string;
  readonly items: Omit<Answer<'activityLog'>['items'][number], 'partnerTenantId'>[];
  readonly nextCursor?: string;
}

export class GetSoftwareListQuery extends Query<Answer<'softwareList'>> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}
export class GetOrderHistoryQuery extends Query<{ customerId: string; orders: Answer<'orderHistory'> }> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}
export class GetActivityLogQuery extends Query<ActivityLog> {
  constructor(
    readonly context: CommandContext,
    readonly range: { from: string; to: string; customerId?: string; cursor?: string; limit?: number },
  ) {
    super();
  }
}
const forbidden = () => new DomainError('forbidden', 'forbidden', 'Your role may not perform this action');

abstract class CustomerScopedQuery {
  constructor(@Inject(READ_SIDE) protected readonly readSide: ReadSide) {}

  /** The customer, if the caller may see it with this action; else 404 (or 403 for the role). */
  protected async customerFor(context: CommandContext, customerId: string, action: 'customer.read' | 'software.read' | 'order.read') {
    const customer = await this.readSide.readModels.customer(customerId);
    assertAllowed(action, context.actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    return customer!;
  }
}

@QueryHandler(GetSoftwareListQuery)
export class GetSoftwareListHandler extends CustomerScopedQuery implements IQueryHandler<GetSoftwareListQuery> {
  constructor(
    @Inject(READ_SIDE) readSide: ReadSide,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(readSide);
  }

  async execute({ context, customerId }: GetSoftwareListQuery) {
    await this.customerFor(context, customerId, 'software.read');
    return this.readSide.readModels.softwareList(customerId, this.clock.now());
  }
}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler extends CustomerScopedQuery implements IQueryHandler<GetOrderHistoryQuery> {
  async execute({ context, customerId }: GetOrderHistoryQuery) {
    await this.customerFor(context, customerId, 'order.read');
    return { customerId, orders: await this.readSide.readModels.orderHistory(customerId) };
  }
}

@QueryHandler(GetActivityLogQuery)
export class GetActivityLogHandler implements IQueryHandler<GetActivityLogQuery> {
  constructor(@Inject(READ_SIDE) private readonly readSide: ReadSide) {}

  async execute({ context, range }: GetActivityLogQuery): Promise<ActivityLog> {
    const scope = scopeOf('activityLog.read', context.actor);
    if (!scope || scope.kind !== 'partner') throw forbidden();
    if (range.customerId !== undefined) {
      const customer = await this.readSide.readModels.customer(range.customerId);
      assertAllowed('activityLog.read', context.actor, customer && { partnerTenantId: customer.partnerTenantId }, 'customer');
    }
    const page = await this.readSide.readModels.activityLog({ partnerTenantId: scope.partnerTenantId, ...range });
    return {
      from: range.from,
      to: range.to,
      items: page.items.map(({ partnerTenantId: _partner, ...entry }) => entry),
      ...(page.nextCursor ? { nextCursor: Buffer.from(page.nextCursor).toString('base64url') } : {}),
    };
  }
}

/** Decodes an activity-log cursor (sortable time | sortable position | event id); undefined when it is not one of ours. */
export function decodeActivityCursor(cursor: string): string | undefined {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const [at, position, eventId, ...rest] = raw.split('|');
  return rest.length === 0 && /^\d{15}$/.test(at ?? '') && /^\d{20}$/.test(position ?? '') && parseId(eventId) === eventId ? raw : undefined;
}
