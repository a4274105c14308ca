import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  customerRegistryStreamId,
  decideRefundRequest,
  findCustomerBy,
  invalid,
  notFound,
  orderStreamId,
  refundRequestStreamId,
  type RefundContact,
  type RefundRequestEvent,
} from '@csp/domain';
import { formatPosition } from '@csp/event-store';
import type { Clock } from '@csp/config';
import { assertAllowed, eventMetadata, type CommandContext } from '../context';
import { customerRegistryStream } from '../customers/customer-registry-stream';
import { orderResource, orderStream } from '../orders/order-stream';
import { StreamRepository } from '../stream-repository';
import { CLOCK } from '../tokens';
import { refundRequestStream, refundRequestView, type RefundRequestStream } from './refund-request-stream';

export interface RefundRequestInput {
  tenantId?: string;
  domain?: string;
  orderId?: string;
  subscriptionId?: string;
  reason: string;
  amount: number;
  currency?: string;
  contact: RefundContact;
  attachments?: string[];
}

export class SubmitRefundRequestCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RefundRequestInput,
  ) {}
}

export class DecideRefundRequestCommand {
  constructor(
    readonly context: CommandContext,
    readonly refundRequestId: string,
    readonly decision: { approve: true; amount?: number; note?: string } | { approve: false; reason: string },
  ) {}
}

export class GetRefundRequestQuery {
  constructor(
    readonly context: CommandContext,
    readonly refundRequestId: string,
  ) {}
}

const refundResource = (state: RefundRequestStream) =>
  state.submitted && {
    partnerTenantId: state.submitted.partnerTenantId,
    ...(state.submitted.customerTenantId ? { customerTenantId: state.submitted.customerTenantId } : {}),
  };

@CommandHandler(SubmitRefundRequestCommand)
export class SubmitRefundRequestHandler implements ICommandHandler<SubmitRefundRequestCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, request }: SubmitRefundRequestCommand) {
    const { actor } = context;
    const partnerTenantId = actor.tid;
    let customer: { customerId: string; tenantId: string; domain: string } | undefined;
    let currency = request.currency;
    if (request.orderId !== undefined) {
      // A refund request names one of the partner's own orders; another partner's order is not found.
      const { state } = await this.repository.load(orderStreamId(request.orderId), orderStream);
      assertAllowed('refundRequest.submit', actor, orderResource(state), 'order');
      const purchase = state.purchase!;
      customer = { customerId: purchase.customerId, tenantId: purchase.customerTenantId, domain: '' };
      currency ??= purchase.lines[0]?.currency;
      if (request.tenantId !== undefined && request.tenantId.toLowerCase() !== purchase.customerTenantId) {
        throw invalid('tenant_mismatch', 'tenantId is not the tenant of the order', { field: 'tenantId' });
      }
    }
    if (request.tenantId !== undefined || request.domain !== undefined) {
      const registry = await this.repository.load(customerRegistryStreamId(partnerTenantId), customerRegistryStream);
      const found = findCustomerBy(registry.state, { tenantId: request.tenantId, domain: request.domain });
      if (!found) throw notFound('customer_not_found', 'No customer of yours has that tenant id or domain');
      if (customer && found.customerId !== customer.customerId) {
        throw invalid('tenant_mismatch', 'The tenant id or domain is not the customer of the order', { field: request.tenantId ? 'tenantId' : 'domain' });
      }
      customer = { customerId: found.customerId, tenantId: found.tenantId, domain: found.domain };
    }
    const refundRequestId = randomUUID();
    const now = this.clock.now();
    const result = await this.repository.execute(
      refundRequestStreamId(refundRequestId),
      refundRequestStream,
      (state) =>
        decideRefundRequest(
          {
            type: 'SubmitRefundRequest',
            data: {
              refundRequestId,
              partnerTenantId,
              ...(customer ? { customerTenantId: customer.tenantId, customerId: customer.customerId } : {}),
              ...(request.domain !== undefined ? { domain: request.domain.toLowerCase() } : customer?.domain ? { domain: customer.domain } : {}),
              ...(request.orderId !== undefined ? { orderId: request.orderId } : {}),
              ...(request.subscriptionId !== undefined ? { subscriptionId: request.subscriptionId } : {}),
              reason: request.reason,
              amountRequested: { amount: request.amount, currency: currency ?? 'USD' },
              contact: request.contact,
              attachments: request.attachments ?? [],
            },
            metadata: { actor, now: now.toISOString() },
          },
          state.domain,
        ),
      { metadata: (event) => eventMetadata(context, now, { tenantId: customer?.tenantId, partnerTenantId }, event.type) },
    );
    return { ...refundRequestView(result.state), position: result.append && formatPosition(result.append.position) };
  }
}

@CommandHandler(DecideRefundRequestCommand)
export class DecideRefundRequestHandler implements ICommandHandler<DecideRefundRequestCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, refundRequestId, decision }: DecideRefundRequestCommand) {
    const streamId = refundRequestStreamId(refundRequestId);
    const { state: current } = await this.repository.load(streamId, refundRequestStream);
    assertAllowed('refundRequest.decide', context.actor, refundResource(current), 'refund request');
    // The credit is as tax-inclusive as the order it refunds.
    let taxInclusive = false;
    if (current.submitted?.orderId) {
      const order = await this.repository.load(orderStreamId(current.submitted.orderId), orderStream);
      taxInclusive = order.state.purchase?.taxInclusive ?? false;
    }
    const now = this.clock.now();
    const result = await this.repository.execute(
      streamId,
      refundRequestStream,
      (state) =>
        decideRefundRequest(
          decision.approve
            ? {
                type: 'ApproveRefundRequest',
                data: { refundRequestId, taxInclusive, ...(decision.amount !== undefined ? { amount: decision.amount } : {}), ...(decision.note ? { note: decision.note } : {}) },
                metadata: { actor: context.actor, now: now.toISOString() },
              }
            : { type: 'RejectRefundRequest', data: { refundRequestId, reason: decision.reason }, metadata: { actor: context.actor, now: now.toISOString() } },
          state.domain,
        ),
      {
        metadata: (event: RefundRequestEvent) =>
          eventMetadata(context, now, { tenantId: current.submitted?.customerTenantId, partnerTenantId: current.submitted?.partnerTenantId }, event.type),
      },
    );
    const credit = result.events.find((e) => e.type === 'CreditIssued');
    return {
      ...refundRequestView(result.state),
      ...(credit && credit.type === 'CreditIssued'
        ? { credit: { creditId: credit.data.creditId, amount: credit.data.amount, currency: credit.data.currency, invoiceMonth: credit.data.invoiceMonth } }
        : {}),
      position: result.append && formatPosition(result.append.position),
    };
  }
}

@QueryHandler(GetRefundRequestQuery)
export class GetRefundRequestHandler implements IQueryHandler<GetRefundRequestQuery> {
  constructor(private readonly repository: StreamRepository) {}

  async execute({ context, refundRequestId }: GetRefundRequestQuery) {
    const { state } = await this.repository.load(refundRequestStreamId(refundRequestId), refundRequestStream);
    assertAllowed('refundRequest.read', context.actor, refundResource(state), 'refund request');
    return refundRequestView(state);
  }
}
