import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { forbidden, assertAllowed, nextCursorOf, ReadModelQueryHandler, type CommandContext } from '@csp/application';
import type { PageRequest } from '@csp/domain';
import { scopeOf } from '@csp/security';
import { CustomersQueries } from '@csp/customers';
import { ActivityLogQueries, type ActivityPage } from './activity-log.queries';

/** A page of the activity log: entries without the partner (the caller's own), and the cursor of the next page. */
export interface ActivityLog {
  readonly from: string;
  readonly to: string;
  readonly items: Omit<ActivityPage['items'][number], 'partnerTenantId'>[];
  readonly nextCursor?: string;
}

export class GetActivityLogQuery extends Query<ActivityLog> {
  constructor(
    readonly context: CommandContext,
    readonly range: { from: string; to: string; customerId?: string } & PageRequest,
  ) {
    super();
  }
}

@QueryHandler(GetActivityLogQuery)
export class GetActivityLogHandler extends ReadModelQueryHandler implements IQueryHandler<GetActivityLogQuery> {
  private readonly activity = new ActivityLogQueries(this.store);
  private readonly customers = new CustomersQueries(this.store);

  async execute({ context, range }: GetActivityLogQuery): Promise<ActivityLog> {
    const scope = scopeOf('activityLog.read', context.actor);
    if (!scope || scope.kind !== 'partner') throw forbidden();
    if (range.customerId !== undefined) {
      const customer = await this.customers.customer(range.customerId);
      assertAllowed('activityLog.read', context.actor, customer && { partnerTenantId: customer.partnerTenantId }, 'customer');
    }
    const page = await this.activity.activityLog({ partnerTenantId: scope.partnerTenantId, ...range });
    return {
      from: range.from,
      to: range.to,
      items: page.items.map(({ partnerTenantId: _partner, ...entry }) => entry),
      ...nextCursorOf(page),
    };
  }
}
