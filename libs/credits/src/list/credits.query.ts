import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { forbidden, nextCursorOf, ReadModelQueryHandler, type CommandContext } from '@csp/application';
import type { PageRequest } from '@csp/domain';
import { scopeOf } from '@csp/security';
import { CreditsQueries, type CreditsAnswer } from '../credits.queries';
import type { CreditView } from '../credits.projection';

/** A page of credits as the API shows them, with the totals per currency of the whole selection. */
export interface CreditsReport {
  readonly month?: string;
  readonly items: {
    creditId: string;
    source: CreditView['source']['type'];
    refundRequestId?: string;
    partnerTenantId: string;
    customerId?: string;
    orderId?: string;
    line?: number;
    sku?: string;
    amount: number;
    currency: string;
    taxInclusive: boolean;
    invoiceMonth: string;
    issuedAt: string;
  }[];
  readonly totals: CreditsAnswer['totals'];
  readonly nextCursor?: string;
}

export class GetCreditsQuery extends Query<CreditsReport> {
  constructor(
    readonly context: CommandContext,
    readonly filter: { month?: string; customerId?: string; partnerTenantId?: string },
    readonly page: PageRequest = {},
  ) {
    super();
  }
}

@QueryHandler(GetCreditsQuery)
export class GetCreditsHandler extends ReadModelQueryHandler implements IQueryHandler<GetCreditsQuery> {
  private readonly credits = new CreditsQueries(this.store);

  async execute({ context, filter, page }: GetCreditsQuery): Promise<CreditsReport> {
    const scope = scopeOf('credits.read', context.actor);
    if (!scope || scope.kind === 'customer') throw forbidden();
    // Partner roles see their own partner's credits whatever they ask; operators may filter by partner.
    const partnerTenantId = scope.kind === 'partner' ? scope.partnerTenantId : filter.partnerTenantId;
    const answer = await this.credits.credits({ ...filter, partnerTenantId, ...page });
    return {
      ...(filter.month ? { month: filter.month } : {}),
      items: answer.items.map((c) => ({
        creditId: c.creditId,
        source: c.source.type,
        ...(c.source.type === 'refund-request' ? { refundRequestId: c.source.refundRequestId } : {}),
        partnerTenantId: c.partnerTenantId,
        ...(c.customerId ? { customerId: c.customerId } : {}),
        ...(c.orderId ? { orderId: c.orderId } : {}),
        ...(c.line !== undefined ? { line: c.line } : {}),
        ...(c.sku ? { sku: c.sku } : {}),
        amount: c.amount,
        currency: c.currency,
        taxInclusive: c.taxInclusive,
        invoiceMonth: c.invoiceMonth,
        issuedAt: c.issuedAt,
      })),
      totals: answer.totals,
      ...nextCursorOf(answer),
    };
  }
}
