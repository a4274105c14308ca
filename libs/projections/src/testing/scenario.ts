import { decideCustomerRegistry, foldCustomerRegistry, initialCustomerRegistryState, type CustomerRegistryState } from '@csp/customers';
import {
  customerRegistryStreamId,
  orderStreamId,
  parseCatalog,
  refundDecisionStreamId,
  refundRequestStreamId,
  type Actor,
  type CancellationPolicy,
  type DomainEvent,
} from '@csp/domain';
import { decideOrder, type OrderCommand } from '@csp/orders';
import {
  decideRefundRequest,
  evolveOrderWithRefundDecisions,
  evolveRefundRequest,
  initialOrderWithRefundDecisions,
  initialRefundRequestState,
  type OrderStreamEvent,
  type OrderWithRefundDecisions,
  type RefundRequestCommand,
  type RefundRequestState,
} from '@csp/refunds';
import type { RecordedEvent } from '@csp/event-store';
import { CURRENT_POLICY, markets } from '../../../domain/src/testing/fixtures';
import { recorder } from './recorded';

// Histories start after June 2023: only the policy in force since then.
const policies: CancellationPolicy[] = [CURRENT_POLICY];

const item = (fields: Record<string, unknown>) => ({
  family: 'Windows Server',
  name: `${String(fields.sku)} name`,
  licenseType: 'perpetual',
  unitPrice: { amount: 1000, currency: 'USD' },
  versions: ['2025', '2022', '2019'],
  languages: ['en-us', 'fr-fr'],
  fileTypes: ['x64'],
  downgradeDepth: 1,
  cancellationClass: 'standard',
  ...fields,
});

/** A small catalog with one SKU of each kind the read models tell apart. */
export const catalog = parseCatalog(
  {
    items: [
      item({ sku: 'WS', family: 'Windows Server' }),
      item({
        sku: 'SQL-SUB',
        family: 'SQL Server',
        licenseType: 'subscription',
        termMonths: 12,
        unitPrice: { amount: 36500, currency: 'USD' },
        versions: ['2022'],
        downgradeDepth: 0,
      }),
      item({
        sku: 'ESU',
        family: 'Windows 7 ESU',
        licenseType: 'subscription',
        termMonths: 12,
        versions: ['7'],
        downgradeDepth: 0,
        cancellationClass: 'support-request',
      }),
      item({
        sku: 'SLES',
        family: 'SUSE',
        licenseType: 'subscription',
        termMonths: 12,
        versions: ['15'],
        downgradeDepth: 0,
        cancellationClass: 'non-cancellable',
      }),
      item({ sku: 'WS-EUR', unitPrice: { amount: 900, currency: 'EUR' }, downgradeDepth: 2 }),
    ],
  },
  [],
);

export interface TestCustomer {
  readonly customerId: string;
  readonly tenantId: string;
  readonly partnerTenantId: string;
  readonly market: string;
}

export const agentOf = (partnerTenantId: string): Actor => ({ sub: `agent@${partnerTenantId.slice(0, 8)}`, tid: partnerTenantId, roles: ['admin-agent'] });
export const material = { alg: 'A256GCM' as const, kid: 'kek-1', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y3Q=' };

/**
 * Builds an event log with the real deciders, recorded as the store would record it: each
 * command is decided against the state its stream's earlier events built, so every event in a
 * test is one the product can really produce.
 */
export class Scenario {
  readonly log: RecordedEvent[] = [];
  private readonly record: ReturnType<typeof recorder>;
  private readonly registries = new Map<string, CustomerRegistryState>();
  private readonly orders = new Map<string, OrderWithRefundDecisions>();
  private readonly refunds = new Map<string, RefundRequestState>();

  /** `nextEventId` makes two runs of the same scenario record the very same events. */
  constructor(nextEventId?: () => string) {
    this.record = recorder(nextEventId);
  }

  private push(streamId: string, events: readonly DomainEvent<string, unknown>[], at: string): RecordedEvent[] {
    const recorded = this.record(streamId, events, at);
    this.log.push(...recorded);
    return recorded;
  }

  register(customer: TestCustomer & { name?: string; domain?: string }, at: string): RecordedEvent[] {
    const state = this.registries.get(customer.partnerTenantId) ?? initialCustomerRegistryState;
    const events = decideCustomerRegistry(
      {
        type: 'RegisterCustomer',
        data: {
          customerId: customer.customerId,
          tenantId: customer.tenantId,
          partnerTenantId: customer.partnerTenantId,
          name: customer.name ?? 'Contoso',
          domain: customer.domain ?? `${(customer.name ?? 'Contoso').toLowerCase()}.example`,
          market: customer.market,
        },
        metadata: { actor: agentOf(customer.partnerTenantId), now: at },
      },
      state,
      { markets },
    );
    this.registries.set(customer.partnerTenantId, foldCustomerRegistry(state, events));
    return this.push(customerRegistryStreamId(customer.partnerTenantId), events, at);
  }

  /** Decides an order command as `actor` (the partner's agent by default) at `at`. */
  order(command: Omit<OrderCommand, 'metadata'>, at: string, actor?: Actor): RecordedEvent[] {
    const orderId = command.data.orderId;
    const stream = this.orders.get(orderId) ?? initialOrderWithRefundDecisions;
    const state = stream.order;
    const partner = state.status === 'placed' ? state.ref.partnerTenantId : (command.data as { customer: TestCustomer }).customer.partnerTenantId;
    const events = decideOrder({ ...command, metadata: { actor: actor ?? agentOf(partner), now: at } } as OrderCommand, state, { catalog, policies });
    this.orders.set(orderId, events.reduce(evolveOrderWithRefundDecisions, stream));
    return this.push(orderStreamId(orderId), events, at);
  }

  /** The customer's partner agent buys `quantities` by SKU, one order line each, in the order written. */
  purchase(orderId: string, customer: TestCustomer, quantities: Readonly<Record<string, number>>, at: string): RecordedEvent[] {
    const lines = Object.entries(quantities).map(([sku, quantity]) => ({ sku, quantity }));
    return this.order({ type: 'PurchaseSoftware', data: { orderId, customer, lines } }, at);
  }

  /**
   * Decides a refund request command as the product does: a submission in the request's stream; a
   * decision in the stream of the order the request names (with the order's state), else in the
   * request's own.
   */
  refund(command: Omit<RefundRequestCommand, 'metadata'>, at: string, actor: Actor): RecordedEvent[] {
    const full = { ...command, metadata: { actor, now: at } } as RefundRequestCommand;
    const id = full.data.refundRequestId;
    const state = this.refunds.get(id) ?? initialRefundRequestState;
    const orderId = full.type === 'SubmitRefundRequest' ? full.data.orderId : state.status !== 'none' ? state.request.orderId : undefined;
    const order = orderId !== undefined ? (this.orders.get(orderId) ?? initialOrderWithRefundDecisions) : undefined;
    const events = decideRefundRequest(full, state, order);
    if (full.type === 'SubmitRefundRequest' || orderId === undefined) {
      this.refunds.set(id, events.reduce(evolveRefundRequest, state));
      return this.push(full.type === 'SubmitRefundRequest' ? refundRequestStreamId(id) : refundDecisionStreamId({ refundRequestId: id }), events, at);
    }
    this.orders.set(orderId, (events as OrderStreamEvent[]).reduce(evolveOrderWithRefundDecisions, order!));
    return this.push(refundDecisionStreamId({ refundRequestId: id, orderId }), events, at);
  }

  /** An event no projection knows (a later schema, another bounded context). */
  foreign(streamId: string, type: string, at: string): RecordedEvent[] {
    return this.push(streamId, [{ type, data: { note: 'not for the read side' } }], at);
  }
}
