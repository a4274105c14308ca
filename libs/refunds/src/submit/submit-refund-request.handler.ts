import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, CLOCK, eventMetadata, idnaDomain, StreamRepository, type CommandContext } from '@csp/application';
import { customerRegistryStream, findCustomerBy } from '@csp/customers';
import type { Clock } from '@csp/config';
import { customerRegistryStreamId, invalid, notFound, orderStreamId, refundRequestStreamId } from '@csp/domain';
import { formatPosition } from '@csp/event-store';
import type { Answer } from '@csp/http';
import { orderResource } from '@csp/orders';
import type { SubmitRefundRequest } from '../refund-request.commands';
import type { RefundContact } from '../refund-request.events';
import { decideRefundRequest } from '../refund-request.decide';
import { checkRefundSubmission } from '../refund-request.rules';
import {
  orderRefundsStream,
  orderWithRefundDecisions,
  refundRequestStream,
  refundRequestView,
  type OrderRefundsStreamState,
  type RefundRequestView,
} from '../refund-request-stream.state';
import type { SubmittedRefundRequestResponse } from './submit-refund-request.response';

/** A refund request as filed; its rules (what is required, the amount, the contact) are the domain's (checkRefundSubmission). */
export interface RefundRequestInput {
  tenantId?: string;
  domain?: string;
  orderId?: string;
  subscriptionId?: string;
  reason: string;
  amount?: number;
  currency?: string;
  contact: RefundContact;
  attachments?: string[];
}

export class SubmitRefundRequestCommand extends Command<Answer<RefundRequestView & { readonly position: string | undefined }, SubmittedRefundRequestResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly request: RefundRequestInput,
  ) {
    super();
  }
}

@CommandHandler(SubmitRefundRequestCommand)
export class SubmitRefundRequestHandler implements ICommandHandler<SubmitRefundRequestCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, request }: SubmitRefundRequestCommand) {
    const { actor } = context;
    const partnerTenantId = actor.tid;
    const submission = (customer?: { customerId: string; tenantId: string; domain: string }): SubmitRefundRequest['data'] => ({
      refundRequestId,
      partnerTenantId,
      ...(customer ? { customerTenantId: customer.tenantId, customerId: customer.customerId } : {}),
      ...(request.domain !== undefined ? { domain: idnaDomain(request.domain).toLowerCase() } : customer?.domain ? { domain: customer.domain } : {}),
      ...(request.orderId !== undefined ? { orderId: request.orderId } : {}),
      ...(request.subscriptionId !== undefined ? { subscriptionId: request.subscriptionId } : {}),
      reason: request.reason,
      // The domain gives a request naming an order that order's currency, and refuses another.
      amountRequested: { amount: request.amount, ...(request.currency !== undefined ? { currency: request.currency } : {}) },
      contact: request.contact,
      attachments: request.attachments ?? [],
    });
    const refundRequestId = randomUUID();
    // A request that can never succeed is refused as such before anything is looked up (the decider checks it again).
    // A request naming an order takes its tenant from the order, looked up below.
    checkRefundSubmission({ ...submission(), ...(request.tenantId !== undefined ? { customerTenantId: request.tenantId } : {}) }, { tenantFromOrder: true });
    let customer: { customerId: string; tenantId: string; domain: string } | undefined;
    let order: OrderRefundsStreamState | undefined;
    if (request.orderId !== undefined) {
      // A refund request names one of the partner's own orders; another partner's order is not found.
      const { state } = await this.repository.load(orderStreamId(request.orderId), orderRefundsStream);
      assertAllowed('refundRequest.submit', actor, orderResource(state.order), 'order');
      order = state;
      const purchase = state.order.purchase!;
      customer = { customerId: purchase.customerId, tenantId: purchase.customerTenantId, domain: '' };
      if (request.tenantId !== undefined && request.tenantId.toLowerCase() !== purchase.customerTenantId) {
        throw invalid('tenant_mismatch', 'tenantId is not the tenant of the order', { field: 'tenantId' });
      }
    }
    if (request.tenantId !== undefined || request.domain !== undefined) {
      const registry = await this.repository.load(customerRegistryStreamId(partnerTenantId), customerRegistryStream);
      const found = findCustomerBy(registry.state, {
        tenantId: request.tenantId,
        domain: request.domain !== undefined ? idnaDomain(request.domain) : undefined,
      });
      if (!found) throw notFound('customer_not_found', 'No customer of yours has that tenant id or domain');
      if (customer && found.customerId !== customer.customerId) {
        throw invalid('tenant_mismatch', 'The tenant id or domain is not the customer of the order', { field: request.tenantId ? 'tenantId' : 'domain' });
      }
      customer = { customerId: found.customerId, tenantId: found.tenantId, domain: found.domain };
    }
    const now = this.clock.now();
    const result = await this.repository.execute(
      refundRequestStreamId(refundRequestId),
      refundRequestStream,
      (state) =>
        decideRefundRequest(
          { type: 'SubmitRefundRequest', data: submission(customer), metadata: { actor, now: now.toISOString() } },
          state.domain,
          order && orderWithRefundDecisions(order),
        ),
      { metadata: (event) => eventMetadata(context, now, { tenantId: customer?.tenantId, partnerTenantId }, event.type) },
    );
    return { ...refundRequestView(result.state), position: result.append && formatPosition(result.append.position) };
  }
}
