import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  checkRefundSubmission,
  customerRegistryStreamId,
  decideRefundDecision,
  decideRefundRequest,
  invalid,
  notFound,
  orderStreamId,
  refundDecisionStreamId,
  refundRequestStreamId,
  type ApproveRefundRequest,
  type RefundContact,
  type CreditIssued,
  type RejectRefundRequest,
  type SubmitRefundRequest,
} from '@csp/domain';
import { customerRegistryStream, findCustomerBy } from '@csp/customers';
import { formatPosition } from '@csp/event-store';
import type { Clock } from '@csp/config';
import { assertAllowed, eventMetadata, type CommandContext } from '../context';
import { orderResource, orderStream, type OrderStreamState } from '../orders/order-stream';
import { StreamRepository } from '../stream-repository';
import { CLOCK } from '../tokens';
import { refundRequestStream, refundRequestView, type RefundRequestStreamState } from './refund-request-stream';
import { idnaDomain } from '../domain-names';

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

/** The request as the API shows it (refundRequestView). */
export type RefundRequestView = ReturnType<typeof refundRequestView>;

export class SubmitRefundRequestCommand extends Command<RefundRequestView & { readonly position: string | undefined }> {
  constructor(
    readonly context: CommandContext,
    readonly request: RefundRequestInput,
  ) {
    super();
  }
}

/** A decision: the request as it stands now, with the credit an approval issued. */
export type RefundDecision = RefundRequestView & {
  readonly credit?: { creditId: string; amount: number; currency: string; invoiceMonth: string };
  readonly position: string | undefined;
};

export class DecideRefundRequestCommand extends Command<RefundDecision> {
  constructor(
    readonly context: CommandContext,
    readonly refundRequestId: string,
    readonly decision: { approve: true; amount?: number; note?: string } | { approve: false; reason: string },
  ) {
    super();
  }
}

export class GetRefundRequestQuery extends Query<RefundRequestView> {
  constructor(
    readonly context: CommandContext,
    readonly refundRequestId: string,
  ) {
    super();
  }
}

const refundResource = (state: RefundRequestStreamState) =>
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
    let order: OrderStreamState | undefined;
    if (request.orderId !== undefined) {
      // A refund request names one of the partner's own orders; another partner's order is not found.
      const { state } = await this.repository.load(orderStreamId(request.orderId), orderStream);
      assertAllowed('refundRequest.submit', actor, orderResource(state), 'order');
      order = state;
      const purchase = state.purchase!;
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
          order?.domain,
        ),
      { metadata: (event) => eventMetadata(context, now, { tenantId: customer?.tenantId, partnerTenantId }, event.type) },
    );
    return { ...refundRequestView(result.state), position: result.append && formatPosition(result.append.position) };
  }
}

/**
 * Decides a refund request. The decision of a request that names an order — the approval and its
 * credit, or the rejection — is appended to the order's stream in one commit, under the order's
 * expected revision, decided on the order's state as just read: its credits (cancellations and
 * earlier approvals) cap the approval, and an approval, a rejection or a cancellation racing it
 * on another replica makes the append conflict, so the loser decides again on the new state (and
 * is refused if nothing is left, or if the request was decided meanwhile). One append, so no
 * crash can leave a credit without its approval or the reverse. The request's own stream holds
 * only its submission then, and is read for it; a request without an order is decided in its own
 * stream, capped by the amount requested.
 */
@CommandHandler(DecideRefundRequestCommand)
export class DecideRefundRequestHandler implements ICommandHandler<DecideRefundRequestCommand> {
  constructor(
    private readonly repository: StreamRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ context, refundRequestId, decision }: DecideRefundRequestCommand): Promise<RefundDecision> {
    const streamId = refundRequestStreamId(refundRequestId);
    const loaded = await this.repository.load(streamId, refundRequestStream);
    const current = loaded.state;
    assertAllowed('refundRequest.decide', context.actor, refundResource(current), 'refund request');
    const now = this.clock.now();
    const metadata = { actor: context.actor, now: now.toISOString() };
    const command: ApproveRefundRequest | RejectRefundRequest = decision.approve
      ? {
          type: 'ApproveRefundRequest',
          data: { refundRequestId, ...(decision.amount !== undefined ? { amount: decision.amount } : {}), ...(decision.note ? { note: decision.note } : {}) },
          metadata,
        }
      : { type: 'RejectRefundRequest', data: { refundRequestId, reason: decision.reason }, metadata };
    const options = {
      metadata: (event: { type: string }) =>
        eventMetadata(context, now, { tenantId: current.submitted?.customerTenantId, partnerTenantId: current.submitted?.partnerTenantId }, event.type),
    };
    const orderId = current.submitted?.orderId;
    // Where the decision goes is the domain's rule (refundDecisionStreamId): the order's stream when it names one.
    const decisionStream = refundDecisionStreamId({ refundRequestId, ...(orderId !== undefined ? { orderId } : {}) });
    const { view, events, append } =
      orderId !== undefined
        ? await this.repository
            .execute(decisionStream, orderStream, (order) => decideRefundDecision(command, current.domain, order.domain), options)
            .then((r) => ({ view: refundRequestView(current, r.state), events: r.events, append: r.append }))
        : await this.repository
            .execute(decisionStream, refundRequestStream, (state) => decideRefundDecision(command, state.domain), { ...options, assume: loaded })
            .then((r) => ({ view: refundRequestView(r.state), events: r.events, append: r.append }));
    const credit = events.find((e): e is CreditIssued => e.type === 'CreditIssued');
    return {
      ...view,
      ...(credit
        ? { credit: { creditId: credit.data.creditId, amount: credit.data.amount, currency: credit.data.currency, invoiceMonth: credit.data.invoiceMonth } }
        : {}),
      position: append && formatPosition(append.position),
    };
  }
}

@QueryHandler(GetRefundRequestQuery)
export class GetRefundRequestHandler implements IQueryHandler<GetRefundRequestQuery> {
  constructor(private readonly repository: StreamRepository) {}

  async execute({ context, refundRequestId }: GetRefundRequestQuery) {
    const { state } = await this.repository.load(refundRequestStreamId(refundRequestId), refundRequestStream);
    assertAllowed('refundRequest.read', context.actor, refundResource(state), 'refund request');
    // The decision of a request naming an order is in the order's stream.
    const orderId = state.submitted?.orderId;
    return refundRequestView(state, orderId !== undefined ? (await this.repository.load(orderStreamId(orderId), orderStream)).state : undefined);
  }
}
