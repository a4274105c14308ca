import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadModelQueries, ReadSide } from '@csp/projections';
import { scopeOf } from '@csp/security';
import { DomainError, parseId } from '@csp/domain';
import { assertAllowed, type CommandContext } from '../context';
import { READ_SIDE } from '../tokens';

type Answer<M extends keyof ReadModelQueries> = ReadModelQueries[M] extends (...args: never[]) => Promise<infer R> ? R : never;

/** A customer as the API shows it. */
export interface CustomerSummary {
  readonly customerId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly domain: string;
  readonly market: string;
  readonly registeredAt: string;
}

/** A page of the activity log: entries without the partner (the caller's own), and the cursor of the next page. */
export interface ActivityLog {
  readonly from: string;
  readonly to: string;
  readonly items: Omit<Answer<'activityLog'>['items'][number], 'partnerTenantId'>[];
  readonly nextCursor?: string;
}

export class GetCustomerQuery extends Query<CustomerSummary> {
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

/** A query about one customer, answered only to callers who may see that customer with the query's action (404 otherwise, 403 for the role). */
export abstract class CustomerScopedQuery {
  constructor(@Inject(READ_SIDE) protected readonly readSide: ReadSide) {}

  /** The customer, if the caller may see it with this action; else 404 (or 403 for the role). */
  protected async customerFor(context: CommandContext, customerId: string, action: 'customer.read' | 'software.read' | 'order.read') {
    const customer = await this.readSide.readModels.customer(customerId);
    assertAllowed(action, context.actor, customer && { partnerTenantId: customer.partnerTenantId, customerTenantId: customer.tenantId }, 'customer');
    return customer!;
  }
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler extends CustomerScopedQuery implements IQueryHandler<GetCustomerQuery> {
  async execute({ context, customerId }: GetCustomerQuery): Promise<CustomerSummary> {
    const { customerId: id, tenantId, name, domain, market, registeredAt } = await this.customerFor(context, customerId, 'customer.read');
    return { customerId: id, tenantId, name, domain, market, registeredAt };
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
